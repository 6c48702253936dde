using Fuchun.Domain.LandClasses;

namespace Fuchun.Domain.Tests.LandClasses;

public sealed class LandClassCatalogTests
{
    [Theory]
    [InlineData("0101")]
    [InlineData("0201K")]
    [InlineData("1006")]
    public void TryGet_OfACodeInABuffer_FindsTheClassAndItsOwnString(string code)
    {
        var buffer = $"  {code}  ".ToCharArray();

        Assert.True(LandClassCatalog.TryGet(buffer.AsSpan(2, code.Length), out var found));
        Assert.Same(LandClassCatalog.Get(code), found);
        Assert.Same(LandClassCatalog.All[code].Code, found.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0101 ")]
    [InlineData("9999")]
    [InlineData("0101k")]
    public void TryGet_OfAnUnknownCodeInABuffer_FindsNothing_AsTheStringLookupDoes(string code)
    {
        Assert.False(LandClassCatalog.TryGet(code.AsSpan(), out _));
        Assert.False(LandClassCatalog.TryGet(code, out _));
    }
}
