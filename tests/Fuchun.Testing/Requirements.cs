using Xunit;

namespace Fuchun.Testing;

/// <summary>
/// What to do when a test needs something the machine lacks (a PostgreSQL server, GDAL, Chromium): skip with a
/// message saying what to install, unless <c>FUCHUN_REQUIRE_ALL=1</c>, where a missing part fails the test.
/// </summary>
public static class Requirements
{
    public static bool RequireAll => Environment.GetEnvironmentVariable("FUCHUN_REQUIRE_ALL") == "1";

    /// <summary>Skips (or, under FUCHUN_REQUIRE_ALL=1, fails) the current test with <paramref name="message"/>.</summary>
    public static void Missing(string message)
    {
        if (RequireAll)
        {
            Assert.Fail(message + " (FUCHUN_REQUIRE_ALL=1: a missing test dependency is a failure)");
        }

        Assert.Skip(message);
    }
}
