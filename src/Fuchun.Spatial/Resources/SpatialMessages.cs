using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("zh-CN")]

namespace Fuchun.Spatial.Resources;

/// <summary>
/// The spatial core's user-facing messages (files that cannot be read or written, unknown coordinate systems), read
/// from <c>SpatialMessages.resx</c>: zh-CN is the neutral language.
/// </summary>
internal static class SpatialMessages
{
    private static readonly ResourceManager Resources = new("Fuchun.Spatial.Resources.SpatialMessages", typeof(SpatialMessages).Assembly);

    public static string Get(string key, params object[] args)
    {
        var text = Resources.GetString(key, CultureInfo.CurrentUICulture)
            ?? throw new KeyNotFoundException($"message {key} is missing from SpatialMessages.resx");
        return args.Length == 0 ? text : string.Format(CultureInfo.CurrentCulture, text, args);
    }
}
