/** Native histogram samples (exponential and custom buckets). Depends only on the JDK. */
package dev.vigil.model.histogram;
