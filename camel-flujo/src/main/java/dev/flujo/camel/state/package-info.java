/**
 * The state stores of human and resume steps: jdbc (SQLite by default, PostgreSQL through a DataSource), memory, or a
 * bean.
 */
package dev.flujo.camel.state;
