package com.couponrush.auth;

import com.couponrush.user.AuthUser;
import com.couponrush.user.Role;
import com.couponrush.web.ErrorCode;
import com.couponrush.web.ErrorResponses;
import java.util.List;
import javax.crypto.SecretKey;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Stateless JWT (HS256) security: every request carries its identity, so any instance can serve it
 * and the issuance path needs no session or user look-up. The firewall, the bearer-token resolver and the
 * observation settings Spring Security finds by type are the request path's (requestpath.RequestPathConfig).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationEntryPoint entryPoint,
                                            AccessDeniedHandler accessDeniedHandler) throws Exception {
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/auth/signup", "/api/v1/auth/signin").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/coupons", "/api/v1/coupons/*").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/coupons").hasRole(Role.ADMIN.name())
                        // a coupon's waiting line belongs to whoever is signed in (issuance.line)
                        .requestMatchers("/api/v1/coupons/*/line", "/api/v1/coupons/*/line/me",
                                "/api/v1/coupons/*/line/me/stream").authenticated()
                        .requestMatchers("/api/v1/coupons/*/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.PUT, "/api/v1/users/*/admin").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/v1/live/coupons").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/live/console").hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/**").authenticated()
                        // probes and build info for orchestrators; metrics carry business figures (issuances and
                        // refusals per coupon) and the rest of actuator operational detail: operators only
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Role.ADMIN.name())
                        .anyRequest().permitAll())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new AuthUserConverter()))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler))
                .build();
    }

    @Bean
    AuthenticationEntryPoint jsonAuthenticationEntryPoint(ErrorResponses errors) {
        return (request, response, exception) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            errors.write(request, response, ErrorCode.UNAUTHENTICATED);
        };
    }

    @Bean
    AccessDeniedHandler jsonAccessDeniedHandler(ErrorResponses errors) {
        return (request, response, exception) -> errors.write(request, response, ErrorCode.ACCESS_DENIED);
    }

    /** A malformed URL (double slashes, encoded dots) is the client's mistake: 400, not the default 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecretKey jwtSigningKey(JwtProperties properties, DataSourceProperties dataSource) {
        return JwtKeys.signingKey(properties, dataSource);
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey jwtSigningKey) {
        return NimbusJwtEncoder.withSecretKey(jwtSigningKey).algorithm(MacAlgorithm.HS256).build();
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey jwtSigningKey) {
        return NimbusJwtDecoder.withSecretKey(jwtSigningKey).macAlgorithm(MacAlgorithm.HS256).build();
    }

    private static final class AuthUserConverter implements Converter<Jwt, AbstractAuthenticationToken> {

        @Override
        public AbstractAuthenticationToken convert(Jwt jwt) {
            Role role = Role.valueOf(jwt.getClaimAsString(TokenService.ROLE_CLAIM));
            AuthUser user = new AuthUser(Long.parseLong(jwt.getSubject()),
                    jwt.getClaimAsString(TokenService.EMAIL_CLAIM), role);
            return UsernamePasswordAuthenticationToken.authenticated(user, jwt,
                    List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
        }
    }
}
