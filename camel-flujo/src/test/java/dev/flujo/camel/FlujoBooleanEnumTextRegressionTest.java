package dev.flujo.camel;

import static dev.flujo.camel.FlujoAssertions.assertRouteStartFails;
import static dev.flujo.camel.FlujoAssertions.causeOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.flow.BranchFailurePolicy;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Boolean and enum text found by the bad-input fuzzing (issue 7): Camel refused {@code cache=maybe} on its own, with a
 * PropertyBindingException and without the other bad options of the endpoint, where every other bad value is a
 * problem of one FlujoConfigurationException (docs/configuration.md, "Checked at route start").
 */
class FlujoBooleanEnumTextRegressionTest extends CamelTestSupport {

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("agent", TestAgents.answering("ok"));
        registry.bind("on", Boolean.TRUE);
        registry.bind("ignoring", BranchFailurePolicy.IGNORE);
    }

    @Override
    protected java.util.Properties useOverridePropertiesWithPropertiesComponent() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("flags.cache", "true");
        properties.setProperty("flags.policy", "ignore");
        return properties;
    }

    @Test
    void badBooleanTextIsReportedWithTheOtherBadOptions() {
        Exception e = assertRouteStartFails(context, "flujo:step:flags?agent=#agent&cache=maybe&maxRetries=abc"
                + "&resultHeaders=RAW( true)");
        List<String> problems = causeOf(e, FlujoConfigurationException.class).getProblems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.contains("cache must be true or false, was 'maybe'"), problems.toString());
        assertTrue(problems.contains("resultHeaders must be true or false, was ' true'"), problems.toString());
    }

    @Test
    void badEnumTextNamesTheConstants() {
        Exception e = assertRouteStartFails(context, "flujo:parallel:fan?branches=direct:a&onBranchFailure=sometimes");
        assertEquals(List.of("onBranchFailure must be one of PROPAGATE, IGNORE, was 'sometimes'"),
                causeOf(e, FlujoConfigurationException.class).getProblems());
    }

    @Test
    void camelsSpellingsOfBooleansAndEnumsStillStart() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:spellings").to("flujo:step:spellings?agent=#agent&cache=TRUE&resultHeaders=False");
                from("direct:fan").to("flujo:parallel:fan?branches=direct:a&onBranchFailure=ignore");
                from("direct:a").setBody(constant("a"));
            }
        });
        FlujoConfiguration step = context.getEndpoint("flujo:step:spellings?agent=#agent&cache=TRUE"
                + "&resultHeaders=False", FlujoEndpoint.class).getConfiguration();
        assertTrue(step.isCache());
        assertEquals(false, step.isResultHeaders());
        assertEquals(BranchFailurePolicy.IGNORE, context.getEndpoint("flujo:parallel:fan?branches=direct:a"
                + "&onBranchFailure=ignore", FlujoEndpoint.class).getConfiguration().getOnBranchFailure());
    }

    /**
     * Found reviewing the boolean/enum check: Camel binds {@code #property:key}, {@code #bean:name} and {@code #name}
     * to boolean and enum options (and refuses a bad value they resolve to itself), but the check read the reference
     * as the option's text and refused every one of them.
     */
    @Test
    void referencesCamelResolvesStillStart() throws Exception {
        String step = "flujo:step:refs?agent=#agent&cache=#property:flags.cache&resultHeaders=#bean:on"
                + "&updatesContext=#on";
        String fan = "flujo:parallel:refs?branches=direct:a&onBranchFailure=#property:flags.policy";
        String fan2 = "flujo:parallel:refs2?branches=direct:a&onBranchFailure=#ignoring";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:refs").to(step);
                from("direct:fanRefs").to(fan);
                from("direct:fanRefs2").to(fan2);
                from("direct:a").setBody(constant("a"));
            }
        });
        FlujoConfiguration options = context.getEndpoint(step, FlujoEndpoint.class).getConfiguration();
        assertTrue(options.isCache());
        assertTrue(options.isResultHeaders());
        assertTrue(options.isUpdatesContext());
        assertEquals(BranchFailurePolicy.IGNORE,
                context.getEndpoint(fan, FlujoEndpoint.class).getConfiguration().getOnBranchFailure());
        assertEquals(BranchFailurePolicy.IGNORE,
                context.getEndpoint(fan2, FlujoEndpoint.class).getConfiguration().getOnBranchFailure());
    }

    @Test
    void aReferenceToBadTextIsStillRefused() {
        assertRouteStartFails(context, "flujo:step:badRef?agent=#agent&cache=#property:flags.policy");
    }
}
