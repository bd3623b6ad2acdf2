package com.couponrush.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.couponrush.support.ApiClient;
import com.couponrush.support.ApiClient.TestUser;
import com.couponrush.support.Chromium;
import com.couponrush.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/** The operator console in real Chromium: create a coupon through the form, then watch it sell out live. */
@IntegrationTest
@Tag(Chromium.TAG)
class ConsoleBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int QUANTITY = 24;
    private static final int WAVE = 6;

    @Autowired
    ApiClient api;

    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        chromium = Chromium.start();
        browser = chromium.driver();
        wait = chromium.waitUpTo(WAIT);
    }

    @AfterEach
    void closeBrowser() {
        if (chromium != null) { // not started when Chromium is missing: the real cause is already reported
            chromium.close();
        }
    }

    @Test
    void operatorCreatesACouponAndWatchesItSellOutLive() {
        TestUser admin = api.newAdmin();
        browser.get(api.baseUrl() + "/console");
        signIn(admin.email());

        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=create-form]")));
        String name = "라이브 " + ApiClient.uniqueEmail("c").substring(0, 12);
        form.findElement(By.id("coupon-name")).sendKeys(name);
        form.findElement(By.id("coupon-description")).sendKeys("콘솔에서 만든 쿠폰");
        replace(form.findElement(By.id("coupon-quantity")), "0");
        form.findElement(By.cssSelector("[data-test=create]")).click();

        // The API's validation message appears beside the offending field, in Korean by default.
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=error-quantity]"), "1 이상이어야 합니다."));
        assertThat(form.findElement(By.id("coupon-quantity")).getAttribute("aria-invalid")).isEqualTo("true");
        chromium.screenshot("console-validation");

        replace(form.findElement(By.id("coupon-quantity")), Integer.toString(QUANTITY));
        form.findElement(By.cssSelector("[data-test=create]")).click();
        wait.until(ExpectedConditions.textMatches(By.cssSelector("[data-test=form-message]"), Pattern.compile("쿠폰 #\\d+")));
        String message = browser.findElement(By.cssSelector("[data-test=form-message]")).getText();
        long couponId = Long.parseLong(message.replaceAll("\\D", ""));
        assertThat(browser.findElement(By.cssSelector("[data-test=error-quantity]")).getText()).isEmpty();

        String rowSelector = "[data-test=coupon-table] tr[data-coupon-id='" + couponId + "']";
        By row = By.cssSelector(rowSelector);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=live-remaining]"), Integer.toString(QUANTITY)));
        assertThat(browser.findElement(row).getText()).contains(name);

        // Issue in waves through the API; after each wave the console must show the new count by itself.
        List<TestUser> people = new ArrayList<>();
        for (int issued = WAVE; issued <= QUANTITY; issued += WAVE) {
            for (int i = 0; i < WAVE; i++) {
                TestUser person = api.newUser();
                people.add(person);
                assertThat(api.issue(person, couponId).status()).isEqualTo(200);
            }
            if (issued == WAVE) {
                assertThat(api.issue(people.get(0), couponId).reason()).isEqualTo("PER_USER_LIMIT_REACHED");
            }
            wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=live-issued]"), issued + " / " + QUANTITY));
            wait.until(ExpectedConditions.textToBe(By.cssSelector(rowSelector + " [data-test=issued]"),
                    issued + " / " + QUANTITY));
        }
        assertThat(api.issue(api.newUser(), couponId).reason()).isEqualTo("COUPON_SOLD_OUT");
        assertThat(api.issue(api.newUser(), couponId).reason()).isEqualTo("COUPON_SOLD_OUT");

        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=live-remaining]"), "0"));
        wait.until(ExpectedConditions.textToBe(
                By.cssSelector("[data-test=rejections] tr[data-reason=COUPON_SOLD_OUT] td.num"), "2"));
        wait.until(ExpectedConditions.textToBe(
                By.cssSelector("[data-test=rejections] tr[data-reason=PER_USER_LIMIT_REACHED] td.num"), "1"));
        wait.until(ExpectedConditions.textMatches(By.cssSelector("[data-test=sold-out-in]"), Pattern.compile("\\d+초")));
        assertThat(browser.findElements(By.cssSelector("#chart canvas"))).isNotEmpty();
        chromium.fullPageScreenshot("console");
    }

    @Test
    void operatorPausesAddsStockAndSeesTheHistoryAndTheWinnersInIssueOrder() {
        TestUser admin = api.newAdmin();
        long couponId = api.createCoupon(admin, 2, 1);
        List<TestUser> people = List.of(api.newUser(), api.newUser(), api.newUser());
        List<String> issued = new ArrayList<>();
        for (TestUser person : people.subList(0, 2)) {
            issued.add(api.issue(person, couponId).data().path("userCouponId").asString());
        }
        browser.get(api.baseUrl() + "/console");
        signIn(admin.email());
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(
                "[data-test=coupon-table] tr[data-coupon-id='" + couponId + "'] button"))).click();

        By winners = By.cssSelector("[data-test=winners] tbody tr");
        wait.until(ExpectedConditions.numberOfElementsToBe(winners, 2));
        assertThat(browser.findElements(winners).stream().map(row -> row.getAttribute("data-user-coupon-id")))
                .as("winners in issue order").containsExactlyElementsOf(issued);
        assertThat(browser.findElement(winners).getText()).contains(people.get(0).email());
        assertThat(browser.findElement(By.cssSelector("[data-test=winners-csv]")).isDisplayed()).isTrue();

        browser.findElement(By.cssSelector("[data-test=control-pause]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=confirm]")));
        assertThat(api.issue(people.get(2), couponId).reason()).as("nothing happens before the confirmation")
                .isEqualTo("COUPON_SOLD_OUT");
        browser.findElement(By.cssSelector("[data-test=confirm-yes]")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=control-message]"), "일시 중지했습니다."));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=control-resume]")));
        // the engine may answer from its remembered "sold out" for up to coupon.issuance.refresh (1 s)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> api.issue(people.get(2), couponId).reason().equals("COUPON_PAUSED"));

        replace(browser.findElement(By.id("control-quantity")), "1");
        browser.findElement(By.cssSelector("[data-test=control-quantity]")).click();
        browser.findElement(By.cssSelector("[data-test=confirm-yes]")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=control-message]"),
                "수량은 이미 발급된 2개보다 적을 수 없습니다."));
        replace(browser.findElement(By.id("control-quantity")), "3");
        browser.findElement(By.cssSelector("[data-test=control-quantity]")).click();
        browser.findElement(By.cssSelector("[data-test=confirm-yes]")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=control-message]"), "수량을 바꿨습니다."));
        browser.findElement(By.cssSelector("[data-test=control-resume]")).click();
        browser.findElement(By.cssSelector("[data-test=confirm-yes]")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=control-message]"), "재개했습니다."));

        By history = By.cssSelector("[data-test=history] tbody tr");
        wait.until(ExpectedConditions.numberOfElementsToBe(history, 3));
        assertThat(browser.findElements(history).stream().map(row -> row.getAttribute("data-action")))
                .containsExactly("PAUSE", "QUANTITY", "RESUME");
        assertThat(browser.findElements(history).get(1).getText()).contains(admin.email(), "{\"quantity\":2}",
                "{\"quantity\":3}");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> api.issue(people.get(2), couponId).status() == 200);
        chromium.fullPageScreenshot("console-controls");
    }

    @Test
    void aPersonWithoutTheAdminRoleSeesOperatorsOnly() {
        TestUser user = api.newUser();
        browser.get(api.baseUrl() + "/console");
        signIn(user.email());

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=admin-only]")));
        assertThat(browser.findElement(By.cssSelector("[data-test=create-form]")).isDisplayed()).isFalse();
    }

    private void signIn(String email) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("auth-email"))).sendKeys(email);
        browser.findElement(By.id("auth-password")).sendKeys(ApiClient.PASSWORD);
        browser.findElement(By.cssSelector("[data-test=auth-submit]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=sign-out]")));
    }

    private static void replace(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }
}
