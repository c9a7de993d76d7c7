package dev.flujo.core.run;

import java.time.Instant;

/**
 * One exchange with a person: what they were asked and what they answered.
 *
 * @param stepName   the human step that asked
 * @param message    the message shown to the person
 * @param answer     the person's answer, as JSON values (maps, lists, strings, numbers, booleans)
 * @param answeredAt when the answer was accepted
 */
public record HumanInteraction(String stepName, String message, Object answer, Instant answeredAt) {
}
