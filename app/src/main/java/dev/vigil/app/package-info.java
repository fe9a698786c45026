/** The vigil command line: parses arguments and wires the modules together. Nothing else. */
package dev.vigil.app;
