/**
 * {@code vigil mixin test}: runs a mixin's promtool-format rule unit tests against freshly
 * rendered rule files, reusing the rules module's unit tester.
 */
@NullMarked
package dev.vigil.mixin.test;

import org.jspecify.annotations.NullMarked;
