/** Mixin toolchain root. */
@NullMarked
package dev.vigil.mixin;

import org.jspecify.annotations.NullMarked;
