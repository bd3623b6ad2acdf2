package com.couponrush.live;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The event page is static/index.html at {@code /}; the operator console lives at {@code /console}. */
@Configuration(proxyBeanMethods = false)
class PageRoutes implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/console").setViewName("forward:/console.html");
    }
}
