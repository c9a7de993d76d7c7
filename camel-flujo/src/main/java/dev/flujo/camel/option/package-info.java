/**
 * What is derived from the options' one declaration (their @UriParam and @FlujoOption fields in FlujoConfiguration):
 * which kind takes which option, the runtime options, the statistics, the mapping to the core's OptimizationConfig
 * (OptionCatalog); the checks of option text Camel would convert leniently (OptionValues); bean references and Simple
 * expressions named by options.
 */
package dev.flujo.camel.option;
