/** Minimal JSON reading and Go-style writing for bundler files; depends on nothing else here. */
@NullMarked
package dev.vigil.mixin.json;

import org.jspecify.annotations.NullMarked;
