/**
 * The benchmark's {@code bare-framework} target: the issuance request on plain Spring Boot. Its classes carry no
 * stereotype annotation, so the service's component scan, which sees src/load in the tests, finds nothing here.
 */
package com.couponrush.loadtest.bare;
