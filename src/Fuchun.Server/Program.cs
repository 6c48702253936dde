using Fuchun.Server;

var app = await FuchunApp.BuildAsync(args);
await app.RunAsync();

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
