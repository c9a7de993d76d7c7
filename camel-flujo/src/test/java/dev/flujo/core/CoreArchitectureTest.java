package dev.flujo.core;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.flujo.core.result.ArchitectureOffendersDown;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of {@code dev.flujo.core}, read from its compiled classes: it never depends on Camel, and its packages (the
 * root, whose typed exceptions everything throws, included) import each other without a cycle, so each can be read,
 * tested and changed from the bottom up: result, the root, usage, context, agent, ..., exec, flow.
 */
class CoreArchitectureTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.flujo.core");
        assertTrue(core.size() > 50, "expected the core's classes, found " + core.size());
    }

    private static final ArchRule NO_CAMEL = noClasses().should().dependOnClassesThat()
            .resideInAPackage("org.apache.camel..")
            .because("the core runs without a CamelContext: the Camel adapter is dev.flujo.camel");

    /**
     * One slice per package directly under dev.flujo.core (with its sub-packages) and one for the root itself:
     * ArchUnit's pattern slices ({@code dev.flujo.core.(*)..}) leave the root out, and the root's exceptions are where
     * a cycle comes back most easily (an exception carrying a result of a package that throws it).
     */
    private static final ArchRule NO_CYCLES = slices().assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (pkg.equals("dev.flujo.core")) {
                return SliceIdentifier.of("(root)");
            }
            if (!pkg.startsWith("dev.flujo.core.")) {
                return SliceIdentifier.ignore();
            }
            String rest = pkg.substring("dev.flujo.core.".length());
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "the packages of dev.flujo.core, the root included";
        }
    }).should().beFreeOfCycles();

    @Test
    void theCoreNeverDependsOnCamel() {
        NO_CAMEL.check(core);
    }

    @Test
    void theCorePackagesImportEachOtherWithoutCycles() {
        NO_CYCLES.check(core);
    }

    /** The rules catch what they forbid, on test classes made to break them. */
    @Test
    void theRulesRefuseACamelImportAndACycleThroughTheRoot() {
        JavaClasses offenders = new ClassFileImporter().importClasses(ArchitectureOffenders.CamelUser.class,
                ArchitectureOffenders.Up.class, ArchitectureOffendersDown.class, FlujoException.class);
        assertThrows(AssertionError.class, () -> NO_CAMEL.check(offenders));
        assertThrows(AssertionError.class, () -> NO_CYCLES.check(offenders));
    }
}
