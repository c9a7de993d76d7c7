package dev.flujo.examples.triage;

/** The triage pipeline in the Java DSL ({@link TriageRoutes}). */
class TriageJavaDslTest extends TriageBehaviour {

    @Override
    String dsl() {
        return "java";
    }
}
