package dev.vigil.model.storage;

/** A store that can be both read and written. */
public interface Storage extends Queryable, Appendable {}
