/**
 * The request path made cheaper than the framework makes it: each class replaces one piece of Spring's per-request
 * work with a cheaper one that keeps the library's exact behaviour, and {@link RequestPathConfig} plugs them in
 * where Spring looks for them. Their reason to change is the framework's own cost per request; each can be
 * dropped, with its bean, once the framework catches up. What each replaces, the test that holds it to the
 * library and the benchmark behind it: docs/request-path.md.
 *
 * <p>It depends on no other module, and none depends on it.
 */
@ApplicationModule(allowedDependencies = {})
package com.couponrush.requestpath;

import org.springframework.modulith.ApplicationModule;
