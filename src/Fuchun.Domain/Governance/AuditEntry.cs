using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fuchun.Domain.Governance;

/// <summary>
/// One entry of the audit trail (留痕): who, in which role, from where, when, did what to which subject, with the
/// state before and after. Entries are only ever appended, and each carries the hash of the one before it, so that an
/// entry edited, deleted or moved breaks the chain where it happened (<see cref="AuditChain.Verify"/>).
/// </summary>
public sealed class AuditEntry
{
    public AuditEntry(DateTimeOffset at, string actor, string? role, string source, string action, string? subject, string? before, string? after)
    {
        // Whole milliseconds: every store keeps them exactly, so the hash computed now is the hash recomputed later.
        At = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        Actor = actor;
        Role = role;
        Source = source;
        Action = action;
        Subject = subject;
        Before = before;
        After = after;
        PreviousHash = "";
        Hash = "";
    }

    private AuditEntry()
    {
        Actor = Source = Action = PreviousHash = Hash = "";
    }

    public long Id { get; private set; }

    /// <summary>The entry's place in the chain: 1, 2, 3, … with no gaps.</summary>
    public long Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string Actor { get; private set; }

    /// <summary>The role the actor acted in, when there is one.</summary>
    public string? Role { get; private set; }

    /// <summary>Where the act came from: <c>web 10.1.2.3</c>, <c>cli:user</c>, <c>system</c>.</summary>
    public string Source { get; private set; }

    /// <summary>What was done, for example <c>project.StageChanged</c> or <c>package.exported</c>.</summary>
    public string Action { get; private set; }

    /// <summary>What it was done to (a project code, a layer), when there is one.</summary>
    public string? Subject { get; private set; }

    public string? Before { get; private set; }

    public string? After { get; private set; }

    /// <summary>The hash of the entry before (empty for the first).</summary>
    public string PreviousHash { get; private set; }

    /// <summary>SHA-256 over this entry's sequence, fields and <see cref="PreviousHash"/>, hex.</summary>
    public string Hash { get; private set; }

    /// <summary>Links this entry after the entry numbered <paramref name="previousSequence"/> whose hash is <paramref name="previousHash"/> (0 and empty before the first).</summary>
    public void Chain(long previousSequence, string previousHash)
    {
        Sequence = previousSequence + 1;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>The hash this entry's content gives now.</summary>
    public string ComputeHash()
    {
        var text = new StringBuilder();
        void Field(string? value)
        {
            // Length-prefixed, so no two different entries serialise alike; null and empty differ.
            text.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
        }

        Field(Sequence.ToString(CultureInfo.InvariantCulture));
        Field(At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Field(Actor);
        Field(Role);
        Field(Source);
        Field(Action);
        Field(Subject);
        Field(Before);
        Field(After);
        Field(PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>What verification found at one place of the chain.</summary>
public enum AuditBreak
{
    /// <summary>The entry's content no longer gives its hash: it was edited (or moved to another place).</summary>
    Edited,

    /// <summary>Entries are missing before this one: its sequence skips, or it does not follow the entry before it.</summary>
    Missing,

    /// <summary>The entry does not link to the one before it: entries were reordered or replaced.</summary>
    OutOfOrder,
}

/// <summary>A break in the chain: where (the sequence number found there) and what.</summary>
public sealed record AuditFinding(long Sequence, AuditBreak Kind);

/// <summary>Verifies an audit trail read in sequence order.</summary>
public static class AuditChain
{
    /// <summary>
    /// Every break of the chain, in order: an entry whose content does not give its hash, a gap in the sequence, an
    /// entry that does not link to the one before. An empty list means the trail is whole (up to its last entry:
    /// removing entries from the end leaves no break, so the count and last hash are worth keeping elsewhere too).
    /// </summary>
    public static IReadOnlyList<AuditFinding> Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries as IReadOnlyList<AuditEntry> ?? [.. entries];
        var findings = new List<AuditFinding>();
        long previousSequence = 0;
        var previousHash = "";
        // Entries older than the retention period may have been pruned: the chain then starts where a pruning entry
        // (itself in the chain, so it cannot be forged or edited unseen) says the pruned part ended.
        if (list.Count > 0 && list[0].Sequence > 1
            && list.Select(Pruned).OfType<(long Through, string LastHash)>().FirstOrDefault(p => p.Through == list[0].Sequence - 1) is { LastHash: { } anchor } pruned)
        {
            previousSequence = pruned.Through;
            previousHash = anchor;
        }

        foreach (var entry in list)
        {
            if (entry.ComputeHash() != entry.Hash)
            {
                findings.Add(new(entry.Sequence, AuditBreak.Edited));
            }
            else if (entry.Sequence != previousSequence + 1)
            {
                findings.Add(new(entry.Sequence, entry.Sequence > previousSequence + 1 ? AuditBreak.Missing : AuditBreak.OutOfOrder));
            }
            else if (entry.PreviousHash != previousHash)
            {
                findings.Add(new(entry.Sequence, AuditBreak.OutOfOrder));
            }

            previousSequence = entry.Sequence;
            previousHash = entry.Hash;
        }

        return findings;
    }

    /// <summary>The action of the entry that records a pruning of entries beyond the retention period.</summary>
    public const string PrunedAction = "audit.pruned";

    /// <summary>The last sequence and hash a pruning entry says it removed, or null for any other entry.</summary>
    public static (long Through, string LastHash)? Pruned(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Action != PrunedAction || entry.After is null)
        {
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(entry.After);
        return (json.RootElement.GetProperty("through").GetInt64(), json.RootElement.GetProperty("lastHash").GetString()!);
    }
}
