/**
 * The benchmark's {@code bare-framework} target: the issuance request on plain Spring Boot. Outside
 * {@code com.couponrush} on purpose: the tests have src/load on their class path, and the service's component scan
 * must never find this app's controller or configuration.
 */
package couponrush.bare;
