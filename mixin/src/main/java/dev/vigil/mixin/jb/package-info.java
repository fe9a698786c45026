/**
 * jsonnet-bundler ({@code jb}) compatible vendoring: {@code jsonnetfile.json}, the lock file with
 * commits and sums, Git checkout with JGit and jb's {@code vendor/} layout. Knows nothing of
 * Jsonnet evaluation.
 */
@NullMarked
package dev.vigil.mixin.jb;

import org.jspecify.annotations.NullMarked;
