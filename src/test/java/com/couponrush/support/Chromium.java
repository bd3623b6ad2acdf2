package com.couponrush.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by its own chromedriver, headless. Both paths are given explicitly so that
 * Selenium Manager never tries to download a browser or a driver. Tests that use it are tagged
 * {@code browser} and run once, in the PostgreSQL execution of the integration suite.
 */
public final class Chromium implements AutoCloseable {

    public static final String TAG = "browser";
    private static final Path BINARY = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    public static final Dimension DESKTOP = new Dimension(1280, 1000);
    public static final Dimension PHONE = new Dimension(390, 844);

    private final Path profile;
    private final ChromeDriver driver;

    private Chromium(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    public static Chromium start() {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The browser tests need Chromium at " + BINARY + " and chromedriver at "
                    + DRIVER + ". Install them with: apt-get update && apt-get install -y chromium chromium-driver "
                    + "fonts-noto-cjk (as root; .ci/run does this), or point -Dchromium.binary / -Dchromium.driver "
                    + "elsewhere. See docs/ui.md.");
        }
        try {
            Path profile = Files.createTempDirectory("coupon-rush-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(BINARY.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--lang=ko-KR", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(DESKTOP);
            return new Chromium(profile, driver);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public WebDriverWait waitUpTo(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A phone's viewport (390 × 844 CSS pixels, touch, overlay scrollbars), as the DevTools device mode sets it. */
    public void emulatePhone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", PHONE.width,
                "height", PHONE.height, "deviceScaleFactor", 1, "mobile", true));
    }

    /** The whole page, beyond the window's height, through the DevTools protocol. */
    @SuppressWarnings("unchecked")
    public Path fullPageScreenshot(String name) {
        Map<String, Object> layout = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> content = (Map<String, Object>) layout.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
                "width", ((Number) content.get("width")).doubleValue(),
                "height", ((Number) content.get("height")).doubleValue());
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary profile is harmless
        }
    }

}
