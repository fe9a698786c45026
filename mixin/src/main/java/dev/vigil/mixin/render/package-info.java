/**
 * Rendering a mixin with the embedded sjsonnet interpreter (plus a polyfill for newer std
 * functions) into rule files, dashboards and Kubernetes manifests. Does not fetch anything.
 */
@NullMarked
package dev.vigil.mixin.render;

import org.jspecify.annotations.NullMarked;
