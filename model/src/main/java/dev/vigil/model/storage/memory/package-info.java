/** An in-memory store for test runners and contract tests: simple, complete, not fast. */
package dev.vigil.model.storage.memory;
