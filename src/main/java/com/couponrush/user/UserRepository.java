package com.couponrush.user;

import java.time.LocalDateTime;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface UserRepository extends JpaRepository<User, Long> {

    Optional<User> findByEmail(String email);

    boolean existsByEmail(String email);

    boolean existsByRole(Role role);

    /** Conditional on the hash the old password was checked against, so that a change in between wins. */
    @Transactional
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("UPDATE User u SET u.password = :newHash, u.modifiedAt = :now"
            + " WHERE u.id = :id AND u.password = :checkedHash")
    int replacePassword(@Param("id") long id, @Param("checkedHash") String checkedHash,
                        @Param("newHash") String newHash, @Param("now") LocalDateTime now);
}
