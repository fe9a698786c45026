/** Label sets and label matchers: the identity of a series. Depends on nothing of Vigil's. */
package dev.vigil.model.labels;
