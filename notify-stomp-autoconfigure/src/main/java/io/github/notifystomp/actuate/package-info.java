/**
 * Actuator support: the {@code notifystomp} endpoint and the {@code notifyStomp} health
 * indicator.
 */
package io.github.notifystomp.actuate;
