package com.couponrush.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.TestUser;
import com.couponrush.support.Chromium;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The event page in real Chromium: sign up, claim until sold out, double clicks, the opening countdown, waiting in
 * a coupon's line, a place found again on reload.
 */
@IntegrationTest
@Tag(Chromium.TAG)
class EventPageBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    ApiClient api;

    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;
    TestUser admin;

    @BeforeEach
    void openBrowser() {
        chromium = Chromium.start();
        browser = chromium.driver();
        wait = chromium.waitUpTo(WAIT);
        admin = api.newAdmin();
    }

    @AfterEach
    void closeBrowser() {
        if (chromium != null) { // not started when Chromium is missing: the real cause is already reported
            chromium.close();
        }
    }

    @Test
    void twoPeopleClaimTheLastTwoCouponsAndTheThirdSeesItSoldOut() {
        LocalDateTime now = LocalDateTime.now();
        Map<String, Object> body = api.couponBody(2, null, now.minusMinutes(5), now.plusDays(1));
        body.put("name", "겨울 맞이 선착순 쿠폰");
        body.put("description", "선착순 2명에게 드리는 3,000원 할인");
        body.put("discountAmount", 3000);
        long couponId = api.createCoupon(admin, body);
        browser.get(api.baseUrl() + "/");

        for (int person = 1; person <= 2; person++) {
            signUpThroughTheForm(ApiClient.uniqueEmail("page"));
            claim(couponId);
            wait.until(ExpectedConditions.textToBe(outcome(couponId), "쿠폰이 발급되었습니다! 내 쿠폰에서 확인하세요."));
            wait.until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("[data-test=mine] li[data-status=ISSUED]"), 1));
            if (person == 2) {
                browser.findElement(By.cssSelector("[data-test=mine] li button")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("[data-test=mine] li[data-status=USED]")));
                chromium.screenshot("event-page-claimed");
            }
            browser.findElement(By.cssSelector("[data-test=sign-out]")).click();
        }

        signUpThroughTheForm(ApiClient.uniqueEmail("late"));
        wait.until(ExpectedConditions.attributeToBe(card(couponId), "data-status", "SOLD_OUT"));
        WebElement claimButton = browser.findElement(claimButton(couponId));
        assertThat(claimButton.isEnabled()).isFalse();
        assertThat(claimButton.getText()).isEqualTo("매진");
        assertThat(browser.findElement(remaining(couponId)).getText()).isEqualTo("남은 수량 0 / 2");
        assertThat(api.get("/api/v1/coupons/" + couponId, null).data().path("issuedCount").asInt()).isEqualTo(2);
        chromium.fullPageScreenshot("event-page-sold-out");
    }

    @Test
    void aDoubleClickIssuesOnlyOneCoupon() {
        long couponId = api.createCoupon(admin, 100, 0);
        TestUser user = api.newUser();
        browser.get(api.baseUrl() + "/");
        signInThroughTheForm(user.email());

        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(claimButton(couponId)));
        new Actions(browser).doubleClick(button).perform();
        wait.until(ExpectedConditions.textToBe(outcome(couponId), "쿠폰이 발급되었습니다! 내 쿠폰에서 확인하세요."));

        // The coupon is unlimited per user, so only the page itself can keep the second click from issuing.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(api.get("/api/v1/user-coupon", user.token()).data().size()).isEqualTo(1));
        assertThat(api.get("/api/v1/coupons/" + couponId, null).data().path("issuedCount").asInt()).isEqualTo(1);
        assertThat(browser.findElements(By.cssSelector("[data-test=mine] li"))).hasSize(1);
    }

    @Test
    void anUpcomingCouponCountsDownAndItsButtonOpensWithTheWindow() {
        TestUser user = api.newUser();
        browser.get(api.baseUrl() + "/");
        signInThroughTheForm(user.email());
        // Created while the page is open: the live stream brings it in, with a countdown of a few seconds.
        LocalDateTime opensAt = LocalDateTime.now().plusSeconds(8);
        Map<String, Object> body = api.couponBody(10, null, opensAt, opensAt.plusDays(1));
        body.put("name", "Flash sale");
        long couponId = api.createCoupon(admin, body);

        wait.until(ExpectedConditions.textMatches(countdown(couponId), Pattern.compile("오픈까지 00:0\\d")));
        assertThat(browser.findElement(claimButton(couponId)).isEnabled()).isFalse();
        browser.findElement(By.cssSelector("[data-test=lang]")).click();
        wait.until(ExpectedConditions.textMatches(countdown(couponId), Pattern.compile("Opens in 00:0\\d")));
        chromium.screenshot("event-page-countdown-en");

        new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50))
                .until(ExpectedConditions.elementToBeClickable(claimButton(couponId)));
        assertThat(LocalDateTime.now()).as("the button must not open before the window").isAfterOrEqualTo(opensAt);
        browser.findElement(claimButton(couponId)).click();
        wait.until(ExpectedConditions.textToBe(outcome(couponId), "Coupon issued! See My coupons."));
        browser.findElement(claimButton(couponId)).click();
        wait.until(ExpectedConditions.textToBe(outcome(couponId), "You already have this coupon."));

        browser.findElement(By.cssSelector("[data-test=lang]")).click();
        chromium.emulatePhone();
        wait.until(ExpectedConditions.textToBe(claimButton(couponId), "쿠폰 받기"));
        chromium.fullPageScreenshot("event-page-phone");
    }

    @Test
    void aPlaceInLineShowsItsPositionAndWaitLiveAndTheCouponArrivesWhenIssuanceResumes() {
        long couponId = pausedCouponWithOnePlaceTaken();
        TestUser user = api.newUser();
        browser.get(api.baseUrl() + "/");
        signInThroughTheForm(user.email());

        wait.until(ExpectedConditions.attributeToBe(card(couponId), "data-status", "PAUSED"));
        wait.until(ExpectedConditions.elementToBeClickable(inCard(couponId, "join-line"))).click();
        showsTheSecondPlaceWaiting(couponId);
        chromium.screenshot("event-page-line-waiting");

        theCouponArrivesOnResume(couponId, user);
    }

    @Test
    void aReloadFindsThePlaceTakenBeforeFollowsItToTheCouponAndThenShowsItsOutcome() {
        long couponId = pausedCouponWithOnePlaceTaken();
        long withoutPlace = api.createCoupon(admin, 2, 1);
        assertThat(api.post("/api/v1/coupons/" + withoutPlace + "/pause", null, admin.token()).status())
                .isEqualTo(200);
        TestUser user = api.newUser();
        browser.get(api.baseUrl() + "/");
        signInThroughTheForm(user.email());
        wait.until(ExpectedConditions.elementToBeClickable(inCard(couponId, "join-line"))).click();
        wait.until(ExpectedConditions.textToBe(inCard(couponId, "line-position"), "내 순서: 2번째"));

        browser.navigate().refresh();
        showsTheSecondPlaceWaiting(couponId);
        assertThat(browser.findElement(inCard(withoutPlace, "line")).isDisplayed()).as("no place, no line").isFalse();
        assertThat(browser.findElement(outcome(withoutPlace)).getText()).isEmpty();
        assertThat(browser.findElement(inCard(withoutPlace, "join-line")).isDisplayed()).isTrue();
        chromium.screenshot("event-page-line-reloaded");

        theCouponArrivesOnResume(couponId, user);

        // decided before this load: the outcome is shown, in the language chosen
        browser.findElement(By.cssSelector("[data-test=lang]")).click();
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(outcome(couponId), "Coupon issued! See My coupons."));
        assertThat(browser.findElement(inCard(couponId, "line")).isDisplayed()).isFalse();
    }

    @Test
    void aPlaceBeyondTheStockIsToldSoldOutTheMomentTheLineIsDecidedInEnglish() {
        long couponId = pausedCouponWithOnePlaceTaken();
        browser.get(api.baseUrl() + "/");
        signInThroughTheForm(api.newUser().email());
        browser.findElement(By.cssSelector("[data-test=lang]")).click();

        wait.until(ExpectedConditions.elementToBeClickable(inCard(couponId, "join-line"))).click();
        wait.until(ExpectedConditions.textToBe(inCard(couponId, "line-position"), "Your turn: number 2"));
        assertThat(browser.findElement(inCard(couponId, "line-wait")).getText()).startsWith("Estimating the wait");

        // the operator lowers the stock to one while the second place waits: the line cannot reach it
        assertThat(api.put("/api/v1/coupons/" + couponId + "/quantity", Map.of("quantity", 1), admin.token())
                .status()).isEqualTo(200);

        assertThat(api.post("/api/v1/coupons/" + couponId + "/resume", null, admin.token()).status()).isEqualTo(200);
        wait.until(ExpectedConditions.textToBe(outcome(couponId), "Sorry, this coupon is sold out."));
        assertThat(browser.findElements(By.cssSelector("[data-test=mine] li"))).isEmpty();
    }

    /** A coupon of two, paused, with another user's place in its line: the next place is the second. */
    private long pausedCouponWithOnePlaceTaken() {
        long couponId = api.createCoupon(admin, 2, 1);
        assertThat(api.post("/api/v1/coupons/" + couponId + "/pause", null, admin.token()).status()).isEqualTo(200);
        TestUser ahead = api.newUser();
        assertThat(api.post("/api/v1/coupons/" + couponId + "/line", null, ahead.token()).status()).isEqualTo(202);
        return couponId;
    }

    /** The card follows the second place of a paused line: number, position, the wait being measured, no join. */
    private void showsTheSecondPlaceWaiting(long couponId) {
        wait.until(ExpectedConditions.textToBe(inCard(couponId, "line-position"), "내 순서: 2번째"));
        assertThat(browser.findElement(inCard(couponId, "line-place")).getText()).isEqualTo("대기번호 2번");
        assertThat(browser.findElement(inCard(couponId, "line-wait")).getText()).startsWith("예상 대기 시간을 재는 중");
        assertThat(browser.findElement(outcome(couponId)).getText())
                .isEqualTo("대기열에 들어갔습니다. 차례가 되면 바로 결과를 알려 드립니다.");
        assertThat(browser.findElement(inCard(couponId, "join-line")).isDisplayed())
                .as("one place per person: no second join while following").isFalse();
    }

    /** Resumed, the line issues the followed place its coupon: said on the card, shown in my coupons. */
    private void theCouponArrivesOnResume(long couponId, TestUser user) {
        assertThat(api.post("/api/v1/coupons/" + couponId + "/resume", null, admin.token()).status()).isEqualTo(200);
        wait.until(ExpectedConditions.textToBe(outcome(couponId), "쿠폰이 발급되었습니다! 내 쿠폰에서 확인하세요."));
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-test=mine] li[data-status=ISSUED]"), 1));
        assertThat(browser.findElement(inCard(couponId, "line")).isDisplayed()).isFalse();
        assertThat(api.get("/api/v1/user-coupon", user.token()).data().size()).isEqualTo(1);
    }

    private void signUpThroughTheForm(String email) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-email")));
        browser.findElement(By.cssSelector("[data-test=auth-switch]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-nickname")));
        browser.findElement(By.id("auth-email")).sendKeys(email);
        browser.findElement(By.id("auth-password")).sendKeys("weak");
        browser.findElement(By.id("auth-nickname")).sendKeys("쿠폰헌터");
        browser.findElement(By.cssSelector("[data-test=auth-submit]")).click();
        // The API's password policy message shows beside the password field; then the right password passes.
        wait.until(ExpectedConditions.textMatches(By.id("auth-password-error"), Pattern.compile(".+")));
        browser.findElement(By.id("auth-password")).clear();
        browser.findElement(By.id("auth-password")).sendKeys(ApiClient.PASSWORD);
        browser.findElement(By.cssSelector("[data-test=auth-submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=sign-out]")));
    }

    private void signInThroughTheForm(String email) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-email"))).sendKeys(email);
        browser.findElement(By.id("auth-password")).sendKeys(ApiClient.PASSWORD);
        browser.findElement(By.cssSelector("[data-test=auth-submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=sign-out]")));
    }

    private void claim(long couponId) {
        wait.until(ExpectedConditions.elementToBeClickable(claimButton(couponId))).click();
    }

    private static By card(long couponId) {
        return By.cssSelector("li.card[data-coupon-id='" + couponId + "']");
    }

    private static By claimButton(long couponId) {
        return By.cssSelector("li.card[data-coupon-id='" + couponId + "'] [data-test=claim]");
    }

    private static By outcome(long couponId) {
        return By.cssSelector("li.card[data-coupon-id='" + couponId + "'] [data-test=outcome]");
    }

    private static By inCard(long couponId, String testId) {
        return By.cssSelector("li.card[data-coupon-id='" + couponId + "'] [data-test=" + testId + "]");
    }

    private static By remaining(long couponId) {
        return By.cssSelector("li.card[data-coupon-id='" + couponId + "'] [data-test=remaining]");
    }

    private static By countdown(long couponId) {
        return By.cssSelector("li.card[data-coupon-id='" + couponId + "'] [data-test=countdown]");
    }
}
