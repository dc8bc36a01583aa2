/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.notifystomp;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layering of the starter, written down once: each package may use only the
 * packages below it in {@link #LAYERS}. DEVELOPERS.md draws the same order. Plain
 * ArchUnit from JUnit tests, not its test engine: this test-jar runs on JUnit 5 (Boot
 * 3.5) and JUnit 6 (Boot 4).
 */
class ArchitectureTests {

	private static final String ROOT = "io.github.notifystomp";

	/**
	 * The packages from the bottom up; {@code ""} is the API at the root.
	 */
	private static final List<String> LAYERS = List.of("", "json", "metrics", "presence", "store", "transport", "guard",
			"auth", "delivery", "cluster", "actuate", "autoconfigure");

	private static final JavaClasses classes = importMainClasses();

	@Test
	void eachPackageUsesOnlyThePackagesBelowIt() {
		LayeredArchitecture architecture = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
		for (String layer : LAYERS) {
			architecture = architecture.layer(name(layer)).definedBy(packageOf(layer));
		}
		for (int i = 0; i < LAYERS.size(); i++) {
			List<String> above = LAYERS.subList(i + 1, LAYERS.size());
			architecture = above.isEmpty() ? architecture.whereLayer(name(LAYERS.get(i))).mayNotBeAccessedByAnyLayer()
					: architecture.whereLayer(name(LAYERS.get(i)))
						.mayOnlyBeAccessedByLayers(above.stream().map(ArchitectureTests::name).toArray(String[]::new));
		}
		architecture.check(classes);
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void aConceptAndItsInternalPackageAreFreeOfCycles() {
		slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
	}

	// The API and the SPIs name no internal type, so an application that implements or
	// calls them never has to import one. The auto-configurations wire the internals, and
	// the Actuator endpoint reads them.
	@Test
	void theApiAndTheSpisExposeNoInternals() {
		noClasses().that()
			.resideOutsideOfPackages("..internal..", ROOT + ".autoconfigure..", ROOT + ".actuate")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..internal..")
			.check(classes);
	}

	private static String name(String layer) {
		return layer.isEmpty() ? "api" : layer;
	}

	private static String packageOf(String layer) {
		return layer.isEmpty() ? ROOT : ROOT + "." + layer + "..";
	}

	// The starter's own classes only: on the compatibility lines its test classes and the
	// Boot 3.5 module share the package names, and tests may cross layers
	private static JavaClasses importMainClasses() {
		String home = NotifyTemplate.class.getProtectionDomain().getCodeSource().getLocation().toString();
		ImportOption mainOnly = (location) -> {
			String uri = location.asURI().toString();
			return uri.startsWith(home) || uri.startsWith("jar:" + home + "!");
		};
		return new ClassFileImporter().withImportOption(mainOnly).importPackages(ROOT);
	}

}
