package dev.flujo.camel;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.flujo.camel.option.OptionCatalog;

/**
 * What flujo knows about an option beyond Camel's {@link org.apache.camel.spi.UriParam}, written on the same field of
 * {@link FlujoConfiguration}: together they are the option's one declaration. {@link OptionCatalog} reads them once;
 * from them come which kind takes which option (and the kind × option table of docs/configuration.md), which options
 * change at runtime, what the optimization statistics list and which options are reported as having no effect.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface FlujoOption {

    /** The kinds that take the option; set on any other kind, it fails the route start naming the option. */
    FlujoKind[] kinds();

    /**
     * The options this one has no effect without, in the order they are checked (the first one that is off is
     * reported): an option counts as on when it is true or a number above 0. An entry {@code a|b} is on when either is.
     * Only options of the core configuration ({@code dev.flujo.core.config.OptimizationConfig}) can be named.
     */
    String[] requires() default {};

    /** Listed in the endpoint's optimization statistics, under its name without the {@code enable} prefix. */
    boolean stat() default false;

    /**
     * Changeable at runtime although not an option of the core configuration (those all are): read per exchange rather
     * than resolved when the endpoint starts.
     */
    boolean runtime() default false;
}
