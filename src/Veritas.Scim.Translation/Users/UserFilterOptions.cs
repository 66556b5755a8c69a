using System.ComponentModel.DataAnnotations;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>How far a filter the archive cannot index may be evaluated in memory (section "Scim:Filter").</summary>
public sealed class UserFilterOptions
{
    public const string SectionName = "Scim:Filter";

    /// <summary>
    /// The most accounts the evaluator reads for one query when the store can only narrow the
    /// filter; a filter that leaves more is 400 tooMany naming the indexed attributes.
    /// </summary>
    [Range(1, AccountQuery.MaxCount - 1)]
    public int MaxCandidates { get; set; } = 1000;
}
