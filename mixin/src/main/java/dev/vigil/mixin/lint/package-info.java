/**
 * {@code vigil mixin lint}: mixtool's lint rules over a rendered mixin plus the rule-file checks of
 * {@code vigil check rules}. Works on rendered files only, never evaluates Jsonnet itself.
 */
@NullMarked
package dev.vigil.mixin.lint;

import org.jspecify.annotations.NullMarked;
