/**
 * Helpers the runtime's own packages share. Not part of Runar's API: the module does not export
 * this package, and its classes may change in any release.
 */
package dev.runar.internal;
