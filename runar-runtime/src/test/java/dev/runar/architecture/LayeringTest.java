package dev.runar.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the runtime, as the build enforces it (see docs/architecture.md): the node stands
 * on top and nothing below calls back into it; the transport and discovery know nothing of the
 * node; the QUIC transport is reached only through its public entry points; generated wire messages
 * stay out of the API.
 */
class LayeringTest {
  private static JavaClasses runtime;

  @BeforeAll
  static void importRuntime() {
    runtime =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.runar");
  }

  @Test
  void onlyTheApiAndGeneratedCodeSupportReachTheNode() {
    noClasses()
        .that()
        .resideInAPackage("dev.runar")
        .and()
        .doNotHaveSimpleName("Node")
        .and()
        .doNotHaveSimpleName("ServiceLifecycle")
        .and()
        .doNotHaveSimpleName("HostedService") // hands the node to a service's lifecycle hooks
        .and()
        .doNotHaveSimpleName("BindableService")
        .and()
        .doNotHaveSimpleName(
            "NodeExtension") // an API callback, as ServiceLifecycle: given the node
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.runar.Node")
        .because("Node stands on top: its parts get what they need when constructed")
        .check(runtime);
  }

  @Test
  void theTransportAndDiscoveryKnowNothingOfTheNode() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.runar.network..", "dev.runar.discovery..", "dev.runar.security..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.runar.Node")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.runar.NetworkNode")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.runar.Router")
        .check(runtime);
  }

  @Test
  void theQuicTransportIsReachedOnlyThroughItsEntryPoints() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.runar.network.quic..")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "QUIC internals (anything but QuicTransport and its config)",
                c ->
                    c.getPackageName().equals("dev.runar.network.quic")
                        && !c.getSimpleName().startsWith("QuicTransport")))
        .check(runtime);
  }

  @Test
  void discoveryDoesNotDependOnTheTransportImplementation() {
    noClasses()
        .that()
        .resideInAPackage("dev.runar.discovery..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.runar.network.quic..")
        .check(runtime);
  }

  @Test
  void noPackageIsPartOfACycle() {
    slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(runtime);
  }

  @Test
  void theTransportSpiAndItsImplementationsDoNotDependOnTheNodeOrTheStubs() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.runar.network..", "dev.runar.discovery..", "dev.runar.security..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.runar.stub..")
        .check(runtime);
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.runar.network",
            "dev.runar.discovery..",
            "dev.runar.security..",
            "dev.runar.internal..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "the node's package, other than its value types (" + VALUE_TYPES + ")",
                c -> c.getPackageName().equals("dev.runar") && !isValueType(c)))
        .because("the node's package depends on them: the other way would be a cycle")
        .check(runtime);
  }

  /**
   * The documented seam: the API's value types, which the transport SPI speaks (a call's status and
   * metadata) and which depend on nothing else of the node's package. They count as a layer of
   * their own, below the SPI; the rest of {@code dev.runar} (the node) stands above it.
   */
  private static final Set<String> VALUE_TYPES = Set.of("Status", "StatusException", "Metadata");

  private static boolean isValueType(JavaClass type) {
    JavaClass c = type.getBaseComponentType(); // an array of a value type is one too
    if (c.isPrimitive() || !c.getPackageName().equals("dev.runar")) {
      return false;
    }
    String outermost = c.getName().substring("dev.runar.".length()).split("\\$")[0];
    return VALUE_TYPES.contains(outermost);
  }

  /** Every package a slice of its own (the root package included, which patterns miss). */
  private static final SliceAssignment EACH_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          return SliceIdentifier.of(
              isValueType(javaClass) ? "dev.runar (value types)" : javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
          return "each package of the runtime (the API's value types apart: see VALUE_TYPES)";
        }
      };

  @Test
  void theValueTypesDependOnNothingElseOfTheNode() {
    noClasses()
        .that(DescribedPredicate.describe("value types", LayeringTest::isValueType))
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "the rest of the node's package",
                c -> c.getPackageName().equals("dev.runar") && !isValueType(c)))
        .check(runtime);
  }
}
