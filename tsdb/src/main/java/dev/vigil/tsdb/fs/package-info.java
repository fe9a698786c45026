/** File-system operations the database's directories need beyond {@link java.nio.file.Files}. */
package dev.vigil.tsdb.fs;
