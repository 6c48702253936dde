using Fuchun.Testing;
using Microsoft.Playwright;

namespace Fuchun.Server.Tests;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) driven by Playwright, headless, with no network of its own: Playwright's
/// browser download cannot work here and no test may need the internet.
/// </summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Requirements.Missing("Chromium is not installed: apt-get install chromium");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }
}
