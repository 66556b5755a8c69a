using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Conformance;

/// <summary>
/// What every archive store must do, whatever its database. A store's test project derives a
/// sealed class from this with its <see cref="IArchiveStoreFixture"/> as class fixture. Every test
/// works on a customer of its own, so tests never share rows.
/// </summary>
public abstract class ArchiveStoreConformanceTests(IArchiveStoreFixture fixture)
{
    private static readonly AuditContext Audit = new("conformance", "00-conformance-correlation-01");

    protected IArchiveStoreFixture Fixture { get; } = fixture;

    private IArchiveAccountStore Accounts => Fixture.Accounts;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_returns_the_account_with_its_user_map_and_aliases()
    {
        var customerId = await NewCustomerAsync();

        var created = await Accounts.CreateAsync(customerId, State("ada.create@example.test", aliases: ["ada.one@example.test", "ada.two@example.test"], externalId: "ext-ada"), Audit, Token);

        Assert.False(string.IsNullOrWhiteSpace(created.VaultEntryId));
        Assert.Equal(customerId, created.CustomerId);
        Assert.Equal("ada.create@example.test", created.UserName);
        Assert.Equal("ada.create@example.test", created.PrimarySmtpAddress);
        Assert.Equal("Ada", created.FirstName);
        Assert.Equal("Lovelace", created.LastName);
        Assert.Equal("Ada Lovelace", created.DisplayName);
        Assert.Equal(AccountStatus.Enabled, created.Status);
        Assert.Equal(ProvisioningSource.Scim, created.Source);
        Assert.Equal("ext-ada", created.ExternalId);
        Assert.Equal(["ada.one@example.test", "ada.two@example.test"], created.Aliases);
        Assert.Equal("{\"raw\":1}", created.ScimAttributesJson);
        Assert.True(created.HasUserMap);
        Assert.True(created.ModifiedUtc >= created.CreatedUtc);

        var legacy = await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token);
        Assert.NotNull(legacy);
        Assert.Equal(1, legacy.ArchiveCount);
        Assert.Equal(AccountStatus.Enabled, legacy.Status);
    }

    [Fact]
    public async Task Create_of_a_disabled_account_stores_status_disabled()
    {
        var customerId = await NewCustomerAsync();

        var created = await Accounts.CreateAsync(customerId, State("dis.abled@example.test", enabled: false), Audit, Token);

        Assert.Equal(AccountStatus.Disabled, created.Status);
        Assert.Equal(AccountStatus.Disabled, (await Accounts.GetAsync(customerId, created.VaultEntryId, Token))!.Status);
    }

    [Fact]
    public async Task Get_returns_the_live_account_and_null_for_an_unknown_id()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("gil.get@example.test", aliases: ["gil.alias@example.test"]), Audit, Token);

        var read = await Accounts.GetAsync(customerId, created.VaultEntryId, Token);

        AssertSameAccount(created, read);
        Assert.Null(await Accounts.GetAsync(customerId, "0000000000000000000000000000FFFF", Token));
    }

    [Fact]
    public async Task The_id_is_case_exact_for_get_update_and_delete()
    {
        // RFC 7643 §3.1: id is caseExact; a store whose column collation ignores case must still refuse another case.
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("ida.case@example.test"), Audit, Token);
        var lower = created.VaultEntryId.ToLowerInvariant();
        var otherCase = string.Equals(lower, created.VaultEntryId, StringComparison.Ordinal) ? created.VaultEntryId.ToUpperInvariant() : lower;
        Assert.NotEqual(created.VaultEntryId, otherCase);

        Assert.Null(await Accounts.GetAsync(customerId, otherCase, Token));
        var update = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, otherCase, State("ida.renamed@example.test"), created.Version, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, update.Error);
        var change = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.ChangeAsync(customerId, otherCase, _ => State("ida.renamed@example.test"), Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, change.Error);
        var delete = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.DeleteAsync(customerId, otherCase, null, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, delete.Error);
        AssertSameAccount(created, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
    }

    [Fact]
    public async Task The_id_and_externalId_are_exact_to_the_last_character_trailing_spaces_too()
    {
        // SQL's = pads the shorter operand with spaces under every collation, binary ones too.
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("ted.trail@example.test", externalId: "ext-ted"), Audit, Token);
        var padded = created.VaultEntryId + " ";

        Assert.Null(await Accounts.GetAsync(customerId, padded, Token));
        Assert.Null(await Accounts.FindByExternalIdAsync(customerId, "ext-ted ", Token));
        var update = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, padded, State("ted.renamed@example.test"), created.Version, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, update.Error);
        var delete = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.DeleteAsync(customerId, padded, null, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, delete.Error);
        Assert.Equal(created.VaultEntryId, (await Accounts.FindByExternalIdAsync(customerId, "ext-ted", Token))?.VaultEntryId);
        AssertSameAccount(created, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
    }

    [Fact]
    public async Task FindByUserName_matches_in_any_case()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("Fay.Find@Example.test"), Audit, Token);

        var found = await Accounts.FindByUserNameAsync(customerId, "fay.find@EXAMPLE.TEST", Token);

        Assert.Equal(created.VaultEntryId, found?.VaultEntryId);
        Assert.Null(await Accounts.FindByUserNameAsync(customerId, "fay.other@example.test", Token));
    }

    [Fact]
    public async Task FindByExternalId_matches_exactly()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("eli.ext@example.test", externalId: "Ext-ELI-1"), Audit, Token);

        Assert.Equal(created.VaultEntryId, (await Accounts.FindByExternalIdAsync(customerId, "Ext-ELI-1", Token))?.VaultEntryId);
        Assert.Null(await Accounts.FindByExternalIdAsync(customerId, "ext-eli-1", Token));
    }

    [Fact]
    public async Task FindByWorkEmail_finds_the_other_work_addresses_until_a_write_or_delete_drops_them()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("wen.work@example.test") with { OtherWorkEmails = ["wen.second@example.test", "wen.third@example.test"] }, Audit, Token);
        await Accounts.CreateAsync(customerId, State("wen.neighbour@example.test") with { OtherWorkEmails = ["someone.else@example.test"] }, Audit, Token);
        var otherCustomer = await NewCustomerAsync();
        await Accounts.CreateAsync(otherCustomer, State("wen.elsewhere@example.test") with { OtherWorkEmails = ["wen.second@example.test"] }, Audit, Token);

        Assert.Equal(created.VaultEntryId, Assert.Single(await Accounts.FindByWorkEmailAsync(customerId, "WEN.Second@example.test", Token)).VaultEntryId);
        Assert.Equal(created.VaultEntryId, Assert.Single(await Accounts.FindByWorkEmailAsync(customerId, "wen.third@EXAMPLE.test", Token)).VaultEntryId);
        Assert.Equal(created.VaultEntryId, Assert.Single(await Accounts.FindByWorkEmailAsync(customerId, "wen.work@example.test", Token)).VaultEntryId);
        Assert.Empty(await Accounts.FindByWorkEmailAsync(customerId, "wen.sec@example.test", Token));

        var updated = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("wen.work@example.test") with { OtherWorkEmails = ["wen.third@example.test"] }, created.Version, Audit, Token);
        Assert.Empty(await Accounts.FindByWorkEmailAsync(customerId, "wen.second@example.test", Token));
        Assert.Single(await Accounts.FindByWorkEmailAsync(customerId, "wen.third@example.test", Token));

        await Accounts.DeleteAsync(customerId, created.VaultEntryId, updated.Version, Audit, Token);
        Assert.Empty(await Accounts.FindByWorkEmailAsync(customerId, "wen.third@example.test", Token));
    }

    [Fact]
    public async Task FindByPrimarySmtpAddress_matches_in_any_case()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("pia.mail@example.test"), Audit, Token);

        var found = await Accounts.FindByWorkEmailAsync(customerId, "PIA.MAIL@example.TEST", Token);

        Assert.Equal(created.VaultEntryId, Assert.Single(found).VaultEntryId);
        Assert.Empty(await Accounts.FindByWorkEmailAsync(customerId, "nobody@example.test", Token));
    }

    [Fact]
    public async Task Update_writes_the_whole_state_and_changes_the_version()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("ulf.update@example.test", externalId: "ext-ulf"), Audit, Token);
        var newState = new ArchiveAccountState("ulf.renamed@example.test", "ulf.renamed@example.test", "Ulf", "Renamed", "Ulf R.", false, "ext-ulf-2", [], "{\"raw\":2}");

        var updated = await Accounts.UpdateAsync(customerId, created.VaultEntryId, newState, created.Version, Audit, Token);

        Assert.Equal(created.VaultEntryId, updated.VaultEntryId);
        Assert.NotEqual(created.Version, updated.Version);
        Assert.Equal("ulf.renamed@example.test", updated.UserName);
        Assert.Equal("Renamed", updated.LastName);
        Assert.Equal("Ulf R.", updated.DisplayName);
        Assert.Equal(AccountStatus.Disabled, updated.Status);
        Assert.Equal("ext-ulf-2", updated.ExternalId);
        Assert.Equal("{\"raw\":2}", updated.ScimAttributesJson);
        Assert.Equal(created.CreatedUtc, updated.CreatedUtc);
        AssertSameAccount(updated, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
        Assert.Null(await Accounts.FindByUserNameAsync(customerId, "ulf.update@example.test", Token));
    }

    /// <summary>
    /// Every column takes every change an update asks for, the ones that differ only in letter case
    /// (a user name or address recased) and the ones between a value and none, column by column and
    /// all at once: a store that writes a column only when it changes must see these as changes.
    /// </summary>
    [Fact]
    public async Task Update_keeps_a_change_of_letter_case_and_a_change_to_or_from_nothing_in_every_column()
    {
        var customerId = await NewCustomerAsync();
        Func<ArchiveAccountState, ArchiveAccountState>[] changes =
        [
            s => s with { UserName = Capitalized(s.UserName) },
            s => s with { PrimarySmtpAddress = s.PrimarySmtpAddress!.ToUpperInvariant() },
            s => s with { PrimarySmtpAddress = null },
            s => s with { ExternalId = s.ExternalId!.ToUpperInvariant() },
            s => s with { ExternalId = null },
            s => s with { FirstName = "CARA", LastName = null, DisplayName = "cara case" },
            s => s with { Enabled = false },
            s => s with { UserName = s.UserName.ToUpperInvariant(), PrimarySmtpAddress = Capitalized(s.PrimarySmtpAddress!), ExternalId = Capitalized(s.ExternalId!), Enabled = false },
        ];

        for (var i = 0; i < changes.Length; i++)
        {
            var userName = $"cara{i}.case@example.test";
            var before = new ArchiveAccountState(userName, userName, "Cara", "Case", "Cara Case", true, $"ext-cara-{i}", [], "{}");
            var created = await Accounts.CreateAsync(customerId, before, Audit, Token);
            var state = changes[i](before);
            var updated = await Accounts.UpdateAsync(customerId, created.VaultEntryId, state, created.Version, Audit, Token);
            var read = await Accounts.GetAsync(customerId, created.VaultEntryId, Token);
            foreach (var account in new[] { updated, read! })
            {
                Assert.Equal(state.UserName, account.UserName);
                Assert.Equal(state.PrimarySmtpAddress, account.PrimarySmtpAddress);
                Assert.Equal(state.FirstName, account.FirstName);
                Assert.Equal(state.LastName, account.LastName);
                Assert.Equal(state.DisplayName, account.DisplayName);
                Assert.Equal(state.ExternalId, account.ExternalId);
                Assert.Equal(state.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled, account.Status);
            }

            Assert.Equal(created.VaultEntryId, (await Accounts.FindByUserNameAsync(customerId, state.UserName, Token))?.VaultEntryId);
        }

        static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>
    /// The aliases the caller read are a hint a store may use to leave its alias rows alone: with
    /// the same set asked for (in another letter case too) they stay as they are while the rest
    /// changes; with another set asked for, the hint changes nothing and the aliases are synced.
    /// </summary>
    [Fact]
    public async Task Update_with_the_aliases_as_read_keeps_them_or_syncs_a_change()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("hint.user@example.test", aliases: ["hint.a@example.test", "hint.b@example.test"]), Audit, Token);

        var kept = await Accounts.UpdateAsync(
            customerId, created.VaultEntryId, State("hint.user@example.test", firstName: "Kept", aliases: ["HINT.B@example.test", "hint.a@example.test"]), created.Version, Audit, Token, asRead: created);
        Assert.Equal("Kept", kept.FirstName);
        Assert.Equal(created.Aliases, kept.Aliases);

        var synced = await Accounts.UpdateAsync(
            customerId, created.VaultEntryId, State("hint.user@example.test", firstName: "Synced", aliases: ["hint.b@example.test", "hint.c@example.test"]), kept.Version, Audit, Token, asRead: kept);
        Assert.Equal("Synced", synced.FirstName);
        Assert.Equal(["hint.b@example.test", "hint.c@example.test"], synced.Aliases);
        AssertSameAccount(synced, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));

        var taken = await Accounts.CreateAsync(customerId, State("hint.other@example.test", aliases: ["hint.d@example.test"]), Audit, Token);
        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(
            customerId, created.VaultEntryId, State("hint.user@example.test", aliases: ["hint.b@example.test", "hint.c@example.test", "hint.d@example.test"]), synced.Version, Audit, Token, asRead: synced));
        Assert.Equal(ArchiveStoreError.AliasTaken, error.Error);
        Assert.Equal(["hint.d@example.test"], (await Accounts.GetAsync(customerId, taken.VaultEntryId, Token))!.Aliases);
    }

    /// <summary>
    /// The account as read changes nothing a caller can see, and neither does computing the state
    /// in the store: for generated states before and after (every attribute kept, recased, changed
    /// or emptied; SCIM-made and legacy accounts), an update given the account as read, the same
    /// update without it and a change that returns the same state leave the same account, the same
    /// legacy rows (live and released aliases, audit rows) and the same answer to a read.
    /// </summary>
    [Fact]
    public async Task An_update_from_the_account_as_read_or_by_a_change_leaves_what_the_same_update_without_it_leaves()
    {
        var withRead = await NewCustomerAsync();
        var without = await NewCustomerAsync();
        var byChange = await NewCustomerAsync();
        var address = Gen.OneOfConst("a", "b", "c", "d").Select(Gen.Bool, (local, upper) => (upper ? local.ToUpperInvariant() : local) + "@read.test");
        var state = Gen.Select(
            Gen.OneOfConst("user", "USER", "renamed"),
            Gen.OneOfConst<string?>(null, "mail", "MAIL", "other"),
            Gen.OneOfConst<string?>(null, "Ada", "ada"),
            Gen.Bool,
            Gen.OneOfConst<string?>(null, "ext", "EXT"),
            Gen.OneOfConst<string?>(null, "{\"raw\":1}", "{\"raw\":2}"),
            address.Array[0, 3],
            (name, primary, first, enabled, externalId, json, aliases) => (name, primary, first, enabled, externalId, json, aliases));
        var cases = Gen.Select(state, state, Gen.Bool);
        var run = 0;
        await cases.SampleAsync(
            async sample =>
            {
                var (before, after, legacy) = sample;
                var n = Interlocked.Increment(ref run);
                string Scoped(string text) => $"r{n}.{text}";
                ArchiveAccountState StateOf((string Name, string? Primary, string? First, bool Enabled, string? ExternalId, string? Json, string[] Aliases) s) => new(
                    Scoped(s.Name) + "@read.test",
                    s.Primary is null ? null : Scoped(s.Primary) + "@read.test",
                    s.First,
                    s.First is null ? null : "Lovelace",
                    s.First is null ? null : s.First + " Lovelace",
                    s.Enabled,
                    s.ExternalId is null ? null : Scoped(s.ExternalId),
                    [.. s.Aliases.Select(Scoped).Distinct(StringComparer.OrdinalIgnoreCase)],
                    s.Json);
                var (initial, changed) = (StateOf(before), StateOf(after));
                var outcomes = new List<(ArchiveAccount Account, LegacyAccountRow Row)>();
                foreach (var (customerId, path) in new[] { (withRead, "as read"), (without, "without"), (byChange, "change") })
                {
                    var read = legacy
                        ? (await Accounts.GetAsync(customerId, await Fixture.InsertLegacyAccountAsync(customerId, new LegacyAccountSeed(initial.UserName, initial.PrimarySmtpAddress ?? initial.UserName, initial.FirstName, initial.LastName, initial.DisplayName, initial.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled, initial.Aliases), Token), Token))!
                        : await Accounts.CreateAsync(customerId, initial, Audit, Token);
                    var updated = path == "change"
                        ? (await Accounts.ChangeAsync(customerId, read.VaultEntryId, _ => changed, Audit, Token)).After!
                        : await Accounts.UpdateAsync(customerId, read.VaultEntryId, changed, read.Version, Audit, Token, asRead: path == "as read" ? read : null);
                    AssertSameAccount(updated, await Accounts.GetAsync(customerId, read.VaultEntryId, Token));
                    var row = (await Fixture.ReadLegacyAccountAsync(customerId, read.VaultEntryId, Token))!;
                    outcomes.Add((updated with { VaultEntryId = "", CustomerId = 0, Version = 0, CreatedUtc = default, ModifiedUtc = default }, row with { VaultEntryId = "" }));
                }

                AssertSameAccount(outcomes[1].Account, outcomes[0].Account);
                AssertSameLegacyRow(outcomes[1].Row, outcomes[0].Row);
                AssertSameAccount(outcomes[1].Account, outcomes[2].Account);
                AssertSameLegacyRow(outcomes[1].Row, outcomes[2].Row);
            },
            iter: 80);
    }

    /// <summary>
    /// The account as read does not let an update past a refusal: a stale read is VersionMismatch,
    /// a rename onto a live name is UserNameTaken, an id of another customer or of a deleted account
    /// is NotFound, and none writes anything.
    /// </summary>
    [Fact]
    public async Task An_update_from_the_account_as_read_is_refused_as_without_it()
    {
        var customerId = await NewCustomerAsync();
        var other = await Accounts.CreateAsync(customerId, State("read.other@example.test"), Audit, Token);
        var created = await Accounts.CreateAsync(customerId, State("read.user@example.test"), Audit, Token);
        var current = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("read.user@example.test", firstName: "Current"), created.Version, Audit, Token, asRead: created);

        var stale = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(
            customerId, created.VaultEntryId, State("read.user@example.test", firstName: "Stale"), created.Version, Audit, Token, asRead: created));
        var taken = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(
            customerId, created.VaultEntryId, State("READ.OTHER@example.test"), current.Version, Audit, Token, asRead: current));
        var elsewhere = await NewCustomerAsync();
        var foreign = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(
            elsewhere, created.VaultEntryId, State("read.user@example.test", firstName: "Foreign"), current.Version, Audit, Token, asRead: current));
        var gone = await Accounts.CreateAsync(customerId, State("read.gone@example.test"), Audit, Token);
        await Accounts.DeleteAsync(customerId, gone.VaultEntryId, gone.Version, Audit, Token);
        var deleted = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(
            customerId, gone.VaultEntryId, State("read.gone@example.test", firstName: "Back"), gone.Version, Audit, Token, asRead: gone));

        Assert.Equal(ArchiveStoreError.VersionMismatch, stale.Error);
        Assert.Equal(ArchiveStoreError.UserNameTaken, taken.Error);
        Assert.Equal(ArchiveStoreError.NotFound, foreign.Error);
        Assert.Equal(ArchiveStoreError.NotFound, deleted.Error);
        Assert.Null(await Accounts.GetAsync(customerId, gone.VaultEntryId, Token));
        AssertSameAccount(current, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
        AssertSameAccount(other, await Accounts.GetAsync(customerId, other.VaultEntryId, Token));
    }

    [Fact]
    public async Task Update_of_an_unknown_account_is_NotFound()
    {
        var customerId = await NewCustomerAsync();

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, "0000000000000000000000000000FFFF", State("no.body@example.test"), 1, Audit, Token));

        Assert.Equal(ArchiveStoreError.NotFound, error.Error);
    }

    [Fact]
    public async Task Change_writes_the_state_the_change_computes_from_the_account_as_stored()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("cha.change@example.test", aliases: ["cha.old@example.test"]), Audit, Token);
        ArchiveAccount? seen = null;

        var change = await Accounts.ChangeAsync(customerId, created.VaultEntryId, current =>
        {
            seen = current;
            return State("cha.change@example.test", firstName: current.FirstName + "-changed", aliases: ["cha.new@example.test"]);
        }, Audit, Token);

        AssertSameAccount(created, seen);
        AssertSameAccount(created, change.Before);
        Assert.Equal("Ada-changed", change.State!.FirstName);
        Assert.NotNull(change.After);
        Assert.Equal(created.Version + 1, change.After.Version);
        Assert.Equal("Ada-changed", change.After.FirstName);
        Assert.Equal(["cha.new@example.test"], change.After.Aliases);
        AssertSameAccount(change.After, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
        var legacy = await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token);
        Assert.Equal(["cha.old@example.test"], legacy!.ReleasedAliases);
    }

    [Fact]
    public async Task A_change_that_asks_for_nothing_writes_nothing()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("noa.nothing@example.test"), Audit, Token);

        var change = await Accounts.ChangeAsync(customerId, created.VaultEntryId, _ => null, Audit, Token);

        AssertSameAccount(created, change.Before);
        Assert.Null(change.State);
        Assert.Null(change.After);
        AssertSameAccount(created, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
    }

    [Fact]
    public async Task A_change_that_throws_fails_with_its_exception_and_writes_nothing()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("tho.throws@example.test"), Audit, Token);
        var refusal = new InvalidOperationException("the change refuses");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Accounts.ChangeAsync(customerId, created.VaultEntryId, _ => throw refusal, Audit, Token));

        Assert.Same(refusal, thrown);
        AssertSameAccount(created, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
    }

    [Fact]
    public async Task A_change_of_an_unknown_or_deleted_account_is_NotFound_and_never_runs()
    {
        var customerId = await NewCustomerAsync();
        var deleted = await Accounts.CreateAsync(customerId, State("del.gone@example.test"), Audit, Token);
        await Accounts.DeleteAsync(customerId, deleted.VaultEntryId, null, Audit, Token);
        var runs = 0;

        foreach (var id in (string[])[deleted.VaultEntryId, "0000000000000000000000000000FFFF"])
        {
            var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.ChangeAsync(customerId, id, current =>
            {
                runs++;
                return State(current.UserName);
            }, Audit, Token));
            Assert.Equal(ArchiveStoreError.NotFound, error.Error);
        }

        Assert.Equal(0, runs);
    }

    [Fact]
    public async Task A_change_to_an_alias_live_on_another_account_is_AliasTaken_and_writes_nothing()
    {
        var customerId = await NewCustomerAsync();
        await Accounts.CreateAsync(customerId, State("hol.holder@example.test", aliases: ["held.alias@example.test"]), Audit, Token);
        var taker = await Accounts.CreateAsync(customerId, State("tak.taker@example.test", aliases: ["own.alias@example.test"]), Audit, Token);

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.ChangeAsync(
            customerId, taker.VaultEntryId, _ => State("tak.taker@example.test", firstName: "Taken", aliases: ["HELD.alias@example.test"]), Audit, Token));

        Assert.Equal(ArchiveStoreError.AliasTaken, error.Error);
        AssertSameAccount(taker, await Accounts.GetAsync(customerId, taker.VaultEntryId, Token));
    }

    [Fact]
    public async Task Concurrent_changes_of_one_account_lose_no_update()
    {
        // Each change appends its mark to what it read: a change computed from a stale read would
        // drop the marks written in between. An optimistic store may give up (VersionMismatch)
        // after its attempts; it must then have written nothing.
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("con.current@example.test", firstName: "marks"), Audit, Token);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(mark => Task.Run(async () =>
        {
            try
            {
                await Accounts.ChangeAsync(customerId, created.VaultEntryId, current => State("con.current@example.test", firstName: current.FirstName + "|" + mark), Audit, Token);
                return (mark, written: true);
            }
            catch (ArchiveStoreException exception) when (exception.Error == ArchiveStoreError.VersionMismatch)
            {
                return (mark, written: false);
            }
        })));

        var final = await Accounts.GetAsync(customerId, created.VaultEntryId, Token);
        var marks = final!.FirstName!.Split('|').Skip(1).Select(int.Parse).Order().ToList();
        Assert.Equal(outcomes.Where(o => o.written).Select(o => o.mark).Order().ToList(), marks);
        Assert.Equal(created.Version + marks.Count, final.Version);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_VersionMismatch_and_writes_nothing()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("vic.version@example.test"), Audit, Token);
        var current = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("vic.version@example.test", firstName: "Victor"), created.Version, Audit, Token);

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, created.VaultEntryId, State("vic.version@example.test", firstName: "Stale"), created.Version, Audit, Token));

        Assert.Equal(ArchiveStoreError.VersionMismatch, error.Error);
        AssertSameAccount(current, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
    }

    [Fact]
    public async Task Create_with_a_user_name_taken_in_any_case_is_UserNameTaken()
    {
        var customerId = await NewCustomerAsync();
        await Accounts.CreateAsync(customerId, State("tom.taken@example.test"), Audit, Token);

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.CreateAsync(customerId, State("TOM.Taken@example.test", aliases: ["tom.free@example.test"]), Audit, Token));

        Assert.Equal(ArchiveStoreError.UserNameTaken, error.Error);
        var page = await Accounts.QueryAsync(customerId, new AccountQuery(null, null, false, 1, 10), Token);
        Assert.Equal(1, page.TotalResults);
    }

    [Fact]
    public async Task Update_to_a_user_name_of_another_account_is_UserNameTaken()
    {
        var customerId = await NewCustomerAsync();
        await Accounts.CreateAsync(customerId, State("una.first@example.test"), Audit, Token);
        var second = await Accounts.CreateAsync(customerId, State("una.second@example.test"), Audit, Token);

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, second.VaultEntryId, State("UNA.first@example.test"), second.Version, Audit, Token));

        Assert.Equal(ArchiveStoreError.UserNameTaken, error.Error);
        AssertSameAccount(second, await Accounts.GetAsync(customerId, second.VaultEntryId, Token));
    }

    [Fact]
    public async Task Delete_marks_the_account_deleted_releases_its_aliases_and_keeps_its_archive()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("dee.delete@example.test", aliases: ["dee.alias@example.test"], externalId: "ext-dee"), Audit, Token);

        await Accounts.DeleteAsync(customerId, created.VaultEntryId, created.Version, Audit, Token);

        Assert.Null(await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
        Assert.Null(await Accounts.FindByUserNameAsync(customerId, "dee.delete@example.test", Token));
        Assert.Null(await Accounts.FindByExternalIdAsync(customerId, "ext-dee", Token));
        Assert.Empty(await Accounts.FindByWorkEmailAsync(customerId, "dee.delete@example.test", Token));
        var legacy = await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token);
        Assert.NotNull(legacy);
        Assert.Equal(AccountStatus.Deleted, legacy.Status);
        Assert.Empty(legacy.LiveAliases);
        Assert.Equal(["dee.alias@example.test"], legacy.ReleasedAliases);
        Assert.Equal(1, legacy.ArchiveCount);

        var again = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.DeleteAsync(customerId, created.VaultEntryId, null, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, again.Error);
    }

    [Fact]
    public async Task Delete_with_a_stale_version_is_VersionMismatch_and_without_a_version_succeeds()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("sam.stale@example.test"), Audit, Token);
        var updated = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("sam.stale@example.test", firstName: "Samuel"), created.Version, Audit, Token);

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.DeleteAsync(customerId, created.VaultEntryId, created.Version, Audit, Token));
        Assert.Equal(ArchiveStoreError.VersionMismatch, error.Error);
        AssertSameAccount(updated, await Accounts.GetAsync(customerId, created.VaultEntryId, Token));

        await Accounts.DeleteAsync(customerId, created.VaultEntryId, null, Audit, Token);
        Assert.Null(await Accounts.GetAsync(customerId, created.VaultEntryId, Token));
    }

    [Fact]
    public async Task A_deleted_account_frees_its_user_name_and_aliases_and_keeps_its_archive()
    {
        var customerId = await NewCustomerAsync();
        var first = await Accounts.CreateAsync(customerId, State("lee.leaver@example.test", aliases: ["lee.alias@example.test"]), Audit, Token);
        await Accounts.DeleteAsync(customerId, first.VaultEntryId, null, Audit, Token);

        var second = await Accounts.CreateAsync(customerId, State("LEE.leaver@example.test", aliases: ["lee.alias@example.test"]), Audit, Token);

        Assert.NotEqual(first.VaultEntryId, second.VaultEntryId);
        Assert.Equal(["lee.alias@example.test"], second.Aliases);
        Assert.Equal(second.VaultEntryId, (await Accounts.FindByUserNameAsync(customerId, "lee.leaver@example.test", Token))?.VaultEntryId);
        var firstLegacy = await Fixture.ReadLegacyAccountAsync(customerId, first.VaultEntryId, Token);
        Assert.Equal(AccountStatus.Deleted, firstLegacy!.Status);
        Assert.Equal(1, firstLegacy.ArchiveCount);
    }

    [Fact]
    public async Task A_pre_existing_account_is_found_by_user_name_and_adopted_on_its_first_update()
    {
        var customerId = await NewCustomerAsync();
        var vaultEntryId = await Fixture.InsertLegacyAccountAsync(customerId, new LegacyAccountSeed("old.timer@example.test", "old.timer@example.test", "Old", "Timer", "Old Timer", Aliases: ["old.alias@example.test"]), Token);

        var found = await Accounts.FindByUserNameAsync(customerId, "OLD.TIMER@example.test", Token);

        Assert.NotNull(found);
        Assert.Equal(vaultEntryId, found.VaultEntryId);
        Assert.False(found.HasUserMap);
        Assert.Null(found.ExternalId);
        Assert.NotEqual(ProvisioningSource.Scim, found.Source);
        Assert.Equal(["old.alias@example.test"], found.Aliases);

        var adopted = await Accounts.UpdateAsync(customerId, vaultEntryId, State("old.timer@example.test", firstName: "Olga", externalId: "ext-old", aliases: ["old.alias@example.test"]), found.Version, Audit, Token);

        Assert.Equal(vaultEntryId, adopted.VaultEntryId);
        Assert.True(adopted.HasUserMap);
        Assert.Equal("ext-old", adopted.ExternalId);
        Assert.Equal("Olga", adopted.FirstName);
        Assert.Equal(vaultEntryId, (await Accounts.FindByExternalIdAsync(customerId, "ext-old", Token))?.VaultEntryId);
        var legacy = await Fixture.ReadLegacyAccountAsync(customerId, vaultEntryId, Token);
        Assert.Equal(["old.alias@example.test"], legacy!.LiveAliases);
        Assert.Empty(legacy.ReleasedAliases);
        Assert.Equal(1, legacy.ArchiveCount);
    }

    [Fact]
    public async Task Aliases_are_added_released_and_added_again_after_release()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("al.ias@example.test", aliases: ["one@example.test", "two@example.test"]), Audit, Token);

        var changed = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("al.ias@example.test", aliases: ["two@example.test", "three@example.test"]), created.Version, Audit, Token);

        Assert.Equal(["two@example.test", "three@example.test"], changed.Aliases);
        var legacy = await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token);
        Assert.Equal(["three@example.test", "two@example.test"], legacy!.LiveAliases.Order(StringComparer.Ordinal));
        Assert.Equal(["one@example.test"], legacy.ReleasedAliases);

        var readded = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("al.ias@example.test", aliases: ["two@example.test", "three@example.test", "one@example.test"]), changed.Version, Audit, Token);

        Assert.Equal(["two@example.test", "three@example.test", "one@example.test"], readded.Aliases);
        legacy = await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token);
        Assert.Equal(["one@example.test", "three@example.test", "two@example.test"], legacy!.LiveAliases.Order(StringComparer.Ordinal));
        Assert.Equal(["one@example.test"], legacy.ReleasedAliases);
    }

    [Fact]
    public async Task An_alias_live_on_another_account_is_AliasTaken_naming_it_and_nothing_is_written()
    {
        var customerId = await NewCustomerAsync();
        await Accounts.CreateAsync(customerId, State("own.er@example.test", aliases: ["shared@example.test"]), Audit, Token);
        var other = await Accounts.CreateAsync(customerId, State("oth.er@example.test", aliases: ["mine@example.test"]), Audit, Token);
        var before = await Fixture.ReadLegacyAccountAsync(customerId, other.VaultEntryId, Token);

        var onUpdate = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, other.VaultEntryId, State("oth.er@example.test", firstName: "Changed", aliases: ["fresh@example.test", "SHARED@example.test"]), other.Version, Audit, Token));

        Assert.Equal(ArchiveStoreError.AliasTaken, onUpdate.Error);
        Assert.Equal("shared@example.test", onUpdate.Address, StringComparer.OrdinalIgnoreCase);
        AssertSameAccount(other, await Accounts.GetAsync(customerId, other.VaultEntryId, Token));
        AssertSameLegacyRow(before, await Fixture.ReadLegacyAccountAsync(customerId, other.VaultEntryId, Token));

        var onCreate = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.CreateAsync(customerId, State("new.comer@example.test", aliases: ["shared@example.test"]), Audit, Token));

        Assert.Equal(ArchiveStoreError.AliasTaken, onCreate.Error);
        Assert.Equal("shared@example.test", onCreate.Address, StringComparer.OrdinalIgnoreCase);
        Assert.Null(await Accounts.FindByUserNameAsync(customerId, "new.comer@example.test", Token));
    }

    [Fact]
    public async Task Nothing_of_one_customer_is_reachable_through_another()
    {
        var customerA = await NewCustomerAsync();
        var customerB = await NewCustomerAsync();
        var ofA = await Accounts.CreateAsync(customerA, State("iso.late@example.test", aliases: ["iso.alias@example.test"], externalId: "ext-iso"), Audit, Token);

        Assert.Null(await Accounts.GetAsync(customerB, ofA.VaultEntryId, Token));
        Assert.Null(await Accounts.FindByUserNameAsync(customerB, "iso.late@example.test", Token));
        Assert.Null(await Accounts.FindByExternalIdAsync(customerB, "ext-iso", Token));
        Assert.Empty(await Accounts.FindByWorkEmailAsync(customerB, "iso.late@example.test", Token));
        Assert.Equal(0, (await Accounts.QueryAsync(customerB, new AccountQuery(null, null, false, 1, 100), Token)).TotalResults);
        var update = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerB, ofA.VaultEntryId, State("iso.late@example.test"), ofA.Version, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, update.Error);
        var delete = await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.DeleteAsync(customerB, ofA.VaultEntryId, null, Audit, Token));
        Assert.Equal(ArchiveStoreError.NotFound, delete.Error);
        Assert.Null(await Fixture.ReadLegacyAccountAsync(customerB, ofA.VaultEntryId, Token));

        // The same user name and alias are free in another customer.
        var ofB = await Accounts.CreateAsync(customerB, State("iso.late@example.test", aliases: ["iso.alias@example.test"], externalId: "ext-iso"), Audit, Token);

        Assert.NotEqual(ofA.VaultEntryId, ofB.VaultEntryId);
        AssertSameAccount(ofA, await Accounts.GetAsync(customerA, ofA.VaultEntryId, Token));
        Assert.Equal(ofB.VaultEntryId, (await Accounts.FindByExternalIdAsync(customerB, "ext-iso", Token))?.VaultEntryId);
        Assert.Equal(ofA.VaultEntryId, (await Accounts.FindByExternalIdAsync(customerA, "ext-iso", Token))?.VaultEntryId);
    }

    [Fact]
    public async Task Query_filters_sorts_and_pages()
    {
        var customerId = await NewCustomerAsync();
        var ann = await Accounts.CreateAsync(customerId, State("ann.query@x.test", firstName: "Ann", lastName: "Archer", aliases: ["ann.alias@x.test"]), Audit, Token);
        await Accounts.CreateAsync(customerId, State("ben.query@x.test", firstName: "Ben", lastName: "Baker", enabled: false), Audit, Token);
        await Accounts.CreateAsync(customerId, State("cat.query@x.test", firstName: "Catherine", lastName: "Cole", externalId: "ext-cat"), Audit, Token);
        await Accounts.CreateAsync(customerId, State("dan.query@x.test", firstName: "Dan", lastName: "Dalton"), Audit, Token);
        await Accounts.CreateAsync(customerId, State("eve.query@x.test", firstName: "Eve", lastName: "Evans", enabled: false, aliases: ["eve.alias@x.test"]), Audit, Token);

        async Task<string[]> Names(AccountPredicate? filter, AccountField? sortBy = AccountField.UserName, bool descending = false, int start = 1, int count = 100)
        {
            var page = await Accounts.QueryAsync(customerId, new AccountQuery(filter, sortBy, descending, start, count), Token);
            return [.. page.Accounts.Select(account => account.UserName[..3])];
        }

        static AccountComparisonPredicate Is(AccountField field, AccountComparison comparison, object? value = null) => new(field, comparison, value);

        Assert.Equal(["ann", "ben", "cat", "dan", "eve"], await Names(null));
        Assert.Equal(["eve", "dan", "cat", "ben", "ann"], await Names(null, descending: true));
        Assert.Equal(["eve", "dan", "cat", "ben", "ann"], await Names(null, AccountField.FirstName, descending: true));
        Assert.Equal(["ben", "ann"], await Names(null, AccountField.LastName, descending: true, start: 4, count: 2));
        Assert.Equal(["ben"], await Names(Is(AccountField.UserName, AccountComparison.Equal, "BEN.QUERY@X.TEST")));
        Assert.Equal(["ann", "dan"], await Names(Is(AccountField.FirstName, AccountComparison.Contains, "AN")));
        Assert.Equal(["ben"], await Names(Is(AccountField.LastName, AccountComparison.StartsWith, "b")));
        Assert.Equal(["ann", "ben", "cat", "dan", "eve"], await Names(Is(AccountField.UserName, AccountComparison.EndsWith, "@X.TEST")));
        Assert.Equal(["ann", "cat", "dan", "eve"], await Names(Is(AccountField.LastName, AccountComparison.NotEqual, "baker")));
        Assert.Equal(["cat"], await Names(Is(AccountField.ExternalId, AccountComparison.Present)));
        Assert.Equal(["ann", "ben", "dan", "eve"], await Names(new AccountNotPredicate(Is(AccountField.ExternalId, AccountComparison.Present))));
        Assert.Equal(["ben", "eve"], await Names(Is(AccountField.Active, AccountComparison.Equal, false)));
        Assert.Equal(["ben", "eve"], await Names(new AccountNotPredicate(Is(AccountField.Active, AccountComparison.Equal, true))));
        Assert.Equal(["dan"], await Names(new AccountAndPredicate(Is(AccountField.Active, AccountComparison.Equal, true), Is(AccountField.FirstName, AccountComparison.StartsWith, "D"))));
        Assert.Equal(["ann", "eve"], await Names(new AccountOrPredicate(Is(AccountField.FirstName, AccountComparison.Equal, "ann"), Is(AccountField.LastName, AccountComparison.Equal, "EVANS"))));
        Assert.Equal(["eve"], await Names(Is(AccountField.Alias, AccountComparison.Equal, "EVE.ALIAS@x.test")));
        Assert.Equal(["ann", "eve"], await Names(Is(AccountField.Alias, AccountComparison.Present)));
        Assert.Equal(["cat", "dan", "eve"], await Names(Is(AccountField.LastName, AccountComparison.GreaterThan, "BZ")));
        Assert.Equal(["ann", "ben", "cat", "dan", "eve"], await Names(Is(AccountField.CreatedUtc, AccountComparison.GreaterThanOrEqual, ann.CreatedUtc)));
        Assert.Empty(await Names(Is(AccountField.CreatedUtc, AccountComparison.LessThan, ann.CreatedUtc)));
        Assert.Equal([ann.UserName[..3]], await Names(Is(AccountField.VaultEntryId, AccountComparison.Equal, ann.VaultEntryId)));
        Assert.Empty(await Names(Is(AccountField.UserName, AccountComparison.Equal, "x' OR 1=1 --")));
        Assert.Empty(await Names(Is(AccountField.FirstName, AccountComparison.Contains, "%")));

        var firstPage = await Accounts.QueryAsync(customerId, new AccountQuery(null, AccountField.UserName, false, 1, 2), Token);
        var lastPage = await Accounts.QueryAsync(customerId, new AccountQuery(null, AccountField.UserName, false, 5, 2), Token);
        var beyond = await Accounts.QueryAsync(customerId, new AccountQuery(null, AccountField.UserName, false, 9, 2), Token);
        var filteredPage = await Accounts.QueryAsync(customerId, new AccountQuery(Is(AccountField.Active, AccountComparison.Equal, true), null, false, 2, 1), Token);
        Assert.Equal((5, 2), (firstPage.TotalResults, firstPage.Accounts.Count));
        Assert.Equal((5, 1), (lastPage.TotalResults, lastPage.Accounts.Count));
        Assert.Equal((5, 0), (beyond.TotalResults, beyond.Accounts.Count));
        Assert.Equal((3, 1), (filteredPage.TotalResults, filteredPage.Accounts.Count));
        AssertSameAccount(ann, firstPage.Accounts[0]);
    }

    [Fact]
    public async Task Query_with_count_zero_returns_only_the_total()
    {
        var customerId = await NewCustomerAsync();
        await Accounts.CreateAsync(customerId, State("zed.zero@example.test"), Audit, Token);
        await Accounts.CreateAsync(customerId, State("zoe.zero@example.test"), Audit, Token);

        var page = await Accounts.QueryAsync(customerId, new AccountQuery(null, null, false, 1, 0), Token);

        Assert.Equal(2, page.TotalResults);
        Assert.Empty(page.Accounts);
    }

    public static TheoryData<AccountField?, bool> SortOrders { get; } = PagingSortOrders();

    [Theory]
    [MemberData(nameof(SortOrders))]
    public async Task Pages_of_every_size_join_to_the_whole_order_without_gaps_or_repeats_whatever_the_ties(AccountField? sortBy, bool descending)
    {
        var customerId = await NewCustomerAsync();
        // Ties on every sort key: equal names in another letter case, missing values, one status.
        var people = new (string Name, string First, string Last, string? ExternalId, bool Enabled)[]
        {
            ("pg.hal@x.test", "Hal", "Smith", "E1", true),
            ("pg.ann@x.test", "Ann", "SMITH", "e1", true),
            ("pg.cy@x.test", "Cy", "smith", null, false),
            ("pg.bo@x.test", "Bo", "Jones", null, true),
            ("pg.al@x.test", "ann", "Jones", "E2", true),
            ("pg.di@x.test", "Di", "Abel", null, false),
            ("pg.ed@x.test", "Ed", "Abel", "E2", true),
        };
        foreach (var person in people)
        {
            await Accounts.CreateAsync(customerId, State(person.Name, person.First, person.Last, person.Enabled, person.ExternalId), Audit, Token);
        }

        var whole = await Accounts.QueryAsync(customerId, new AccountQuery(null, sortBy, descending, 1, 100), Token);
        var order = whole.Accounts.Select(account => account.VaultEntryId).ToList();
        Assert.Equal(people.Length, whole.TotalResults);
        Assert.Equal(people.Length, order.Distinct(StringComparer.Ordinal).Count());
        if (sortBy is AccountField.LastName)
        {
            var lastNames = whole.Accounts.Select(account => account.LastName!).ToList();
            var sorted = descending ? lastNames.OrderDescending(StringComparer.OrdinalIgnoreCase) : lastNames.Order(StringComparer.OrdinalIgnoreCase);
            Assert.Equal(sorted, lastNames, StringComparer.OrdinalIgnoreCase);
        }

        foreach (var size in new[] { 1, 2, 3, 5 })
        {
            var joined = new List<string>();
            for (var start = 1; start <= people.Length; start += size)
            {
                var page = await Accounts.QueryAsync(customerId, new AccountQuery(null, sortBy, descending, start, size), Token);
                Assert.Equal(people.Length, page.TotalResults);
                joined.AddRange(page.Accounts.Select(account => account.VaultEntryId));
            }

            Assert.Equal(order, joined);
        }
    }

    private static TheoryData<AccountField?, bool> PagingSortOrders()
    {
        var data = new TheoryData<AccountField?, bool>();
        AccountField?[] fields = [null, AccountField.UserName, AccountField.VaultEntryId, AccountField.LastName, AccountField.FirstName, AccountField.ExternalId, AccountField.Active, AccountField.CreatedUtc];
        foreach (var field in fields)
        {
            data.Add(field, false);
            data.Add(field, true);
        }

        return data;
    }

    [Fact]
    public async Task Concurrent_creates_of_one_user_name_give_exactly_one_account()
    {
        var customerId = await NewCustomerAsync();
        var outcomes = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 50), new ParallelOptions { MaxDegreeOfParallelism = 50, CancellationToken = Token }, async (attempt, cancellationToken) =>
        {
            try
            {
                await Accounts.CreateAsync(customerId, State("race.winner@example.test", aliases: ["race." + attempt + "@example.test"]), Audit, cancellationToken);
                outcomes.Add("created");
            }
            catch (ArchiveStoreException exception)
            {
                outcomes.Add(exception.Error.ToString());
            }
        });

        Assert.Equal(1, outcomes.Count(outcome => outcome == "created"));
        Assert.Equal(49, outcomes.Count(outcome => outcome == nameof(ArchiveStoreError.UserNameTaken)));
        var page = await Accounts.QueryAsync(customerId, new AccountQuery(null, null, false, 1, 100), Token);
        Assert.Equal(1, page.TotalResults);
    }

    [Fact]
    public async Task Every_write_appends_one_audit_row_and_a_failed_write_none()
    {
        var customerId = await NewCustomerAsync();
        var created = await Accounts.CreateAsync(customerId, State("aud.it@example.test"), Audit, Token);
        Assert.Equal(1, (await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token))!.AuditRows);

        var updated = await Accounts.UpdateAsync(customerId, created.VaultEntryId, State("aud.it@example.test", firstName: "Audrey"), created.Version, Audit, Token);
        Assert.Equal(2, (await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token))!.AuditRows);

        await Assert.ThrowsAsync<ArchiveStoreException>(() => Accounts.UpdateAsync(customerId, created.VaultEntryId, State("aud.it@example.test"), created.Version, Audit, Token));
        Assert.Equal(2, (await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token))!.AuditRows);

        await Accounts.DeleteAsync(customerId, created.VaultEntryId, updated.Version, Audit, Token);
        Assert.Equal(3, (await Fixture.ReadLegacyAccountAsync(customerId, created.VaultEntryId, Token))!.AuditRows);
    }

    [Fact]
    public async Task Tenants_map_keys_to_customers_and_tokens_resolve_until_revoked()
    {
        SkipIfUnavailable();
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var tenantKey = "tenant-" + suffix;
        var tenants = Fixture.Tenants;

        var tenant = await tenants.AddTenantAsync(tenantKey, "Tenant Customer " + suffix, Token);
        Assert.Equal(tenantKey, tenant.TenantKey);
        Assert.Equal("Tenant Customer " + suffix, tenant.CustomerName);
        Assert.Contains(await tenants.ListTenantsAsync(Token), listed => listed.TenantKey == tenantKey && listed.CustomerId == tenant.CustomerId);

        var second = await tenants.AddTenantAsync(tenantKey + "-b", tenant.CustomerId.ToString(System.Globalization.CultureInfo.InvariantCulture), Token);
        Assert.Equal(tenant.CustomerId, second.CustomerId);
        var third = await tenants.AddTenantAsync(tenantKey + "-c", "Tenant Customer " + suffix, Token);
        Assert.Equal(tenant.CustomerId, third.CustomerId);
        var exists = await Assert.ThrowsAsync<ArchiveStoreException>(() => tenants.AddTenantAsync(tenantKey, "Someone Else " + suffix, Token));
        Assert.Equal(ArchiveStoreError.TenantExists, exists.Error);

        var hashOne = RandomHash();
        var hashTwo = RandomHash();
        var tokenOne = await tenants.AddTokenAsync(tenantKey, hashOne, Token);
        var tokenTwo = await tenants.AddTokenAsync(tenantKey, hashTwo, Token);
        Assert.Null(tokenOne.RevokedUtc);
        Assert.Null(tokenOne.LastUsedUtc);

        var accessOne = await tenants.FindByTokenHashAsync(hashOne, Token);
        var accessTwo = await tenants.FindByTokenHashAsync(hashTwo, Token);
        Assert.Equal(new TenantAccess(tenant.TenantId, tenantKey, tenant.CustomerId, tokenOne.TokenId), accessOne);
        Assert.Equal(new TenantAccess(tenant.TenantId, tenantKey, tenant.CustomerId, tokenTwo.TokenId), accessTwo);
        Assert.Null(await tenants.FindByTokenHashAsync(RandomHash(), Token));
        Assert.NotNull((await tenants.ListTokensAsync(tenantKey, Token)).Single(token => token.TokenId == tokenOne.TokenId).LastUsedUtc);

        await tenants.RevokeTokenAsync(tenantKey, tokenOne.TokenId, Token);

        Assert.Null(await tenants.FindByTokenHashAsync(hashOne, Token));
        Assert.NotNull(await tenants.FindByTokenHashAsync(hashTwo, Token));
        var listed = await tenants.ListTokensAsync(tenantKey, Token);
        Assert.Equal([tokenOne.TokenId, tokenTwo.TokenId], listed.Select(token => token.TokenId));
        Assert.NotNull(listed[0].RevokedUtc);
        Assert.Null(listed[1].RevokedUtc);

        var unknownTenant = await Assert.ThrowsAsync<ArchiveStoreException>(() => tenants.AddTokenAsync("no-such-tenant-" + suffix, RandomHash(), Token));
        Assert.Equal(ArchiveStoreError.TenantNotFound, unknownTenant.Error);
        var wrongTenant = await Assert.ThrowsAsync<ArchiveStoreException>(() => tenants.RevokeTokenAsync(tenantKey + "-b", tokenTwo.TokenId, Token));
        Assert.Equal(ArchiveStoreError.TenantNotFound, wrongTenant.Error);
        Assert.NotNull(await tenants.FindByTokenHashAsync(hashTwo, Token));
    }

    [Fact]
    public async Task Every_successful_operation_is_one_database_round_trip()
    {
        var customerId = await NewCustomerAsync();
        var tenantKey = "rt-" + Guid.NewGuid().ToString("N")[..12];
        using var spans = new SpanCounter();

        var created = await spans.CountAsync("create", () => Accounts.CreateAsync(customerId, State("rou.nd@example.test", aliases: ["rou.alias@example.test"], externalId: "ext-rt"), Audit, Token));
        await spans.CountAsync("get", () => Accounts.GetAsync(customerId, created.VaultEntryId, Token));
        await spans.CountAsync("find by userName", () => Accounts.FindByUserNameAsync(customerId, "rou.nd@example.test", Token));
        await spans.CountAsync("find by externalId", () => Accounts.FindByExternalIdAsync(customerId, "ext-rt", Token));
        await spans.CountAsync("find by e-mail", () => Accounts.FindByWorkEmailAsync(customerId, "rou.nd@example.test", Token));
        await spans.CountAsync("query", () => Accounts.QueryAsync(customerId, new AccountQuery(new AccountComparisonPredicate(AccountField.Alias, AccountComparison.Present, null), AccountField.DisplayName, true, 1, 10), Token));
        var updated = await spans.CountAsync("update", () => Accounts.UpdateAsync(customerId, created.VaultEntryId, State("rou.nd@example.test", aliases: ["rou.other@example.test"]), created.Version, Audit, Token));
        await spans.CountAsync("delete", async () =>
        {
            await Accounts.DeleteAsync(customerId, created.VaultEntryId, updated.Version, Audit, Token);
            return 0;
        });
        await spans.CountAsync("add tenant", () => Fixture.Tenants.AddTenantAsync(tenantKey, customerId.ToString(System.Globalization.CultureInfo.InvariantCulture), Token));
        var hash = RandomHash();
        var token = await spans.CountAsync("add token", () => Fixture.Tenants.AddTokenAsync(tenantKey, hash, Token));
        await spans.CountAsync("resolve token", () => Fixture.Tenants.FindByTokenHashAsync(hash, Token));
        await spans.CountAsync("list tokens", () => Fixture.Tenants.ListTokensAsync(tenantKey, Token));
        await spans.CountAsync("list tenants", () => Fixture.Tenants.ListTenantsAsync(Token));
        await spans.CountAsync("revoke token", async () =>
        {
            await Fixture.Tenants.RevokeTokenAsync(tenantKey, token.TokenId, Token);
            return 0;
        });

        Assert.All(spans.Counts, pair => Assert.True(pair.Value == 1, $"{pair.Key}: {pair.Value} database commands"));
        Assert.Equal(14, spans.Counts.Count);
    }

    /// <summary>Skips the test when the store cannot run here, then makes the test's own customer.</summary>
    protected async Task<int> NewCustomerAsync()
    {
        SkipIfUnavailable();
        return await Fixture.CreateCustomerAsync("Conformance " + Guid.NewGuid().ToString("N")[..12], Token);
    }

    protected void SkipIfUnavailable()
    {
        if (Fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    protected static ArchiveAccountState State(
        string userName,
        string firstName = "Ada",
        string lastName = "Lovelace",
        bool enabled = true,
        string? externalId = null,
        IReadOnlyList<string>? aliases = null)
        => new(userName, userName, firstName, lastName, firstName + " " + lastName, enabled, externalId, aliases ?? [], "{\"raw\":1}");

    /// <summary>Records compare lists by reference; accounts are the same when their values and alias lists are.</summary>
    protected static void AssertSameAccount(ArchiveAccount expected, ArchiveAccount? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Aliases = [] }, actual with { Aliases = [] });
        Assert.Equal(expected.Aliases, actual.Aliases);
    }

    protected static void AssertSameLegacyRow(LegacyAccountRow? expected, LegacyAccountRow? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected with { LiveAliases = [], ReleasedAliases = [] }, actual with { LiveAliases = [], ReleasedAliases = [] });
        Assert.Equal(expected.LiveAliases.Order(StringComparer.Ordinal), actual.LiveAliases.Order(StringComparer.Ordinal));
        Assert.Equal(expected.ReleasedAliases.Order(StringComparer.Ordinal), actual.ReleasedAliases.Order(StringComparer.Ordinal));
    }

    private static byte[] RandomHash() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Counts the store's database spans per operation. Only spans under this test's own root
    /// activity count, so tests running in parallel do not disturb the figures.
    /// </summary>
    private sealed class SpanCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentDictionary<ActivityTraceId, int> _spansByTrace = new();

        public SpanCounter()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ArchiveStoreTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity => _spansByTrace.AddOrUpdate(activity.TraceId, 1, (_, count) => count + 1),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public Dictionary<string, int> Counts { get; } = [];

        public async Task<T> CountAsync<T>(string operation, Func<Task<T>> action)
        {
            using var root = new Activity("conformance " + operation).SetIdFormat(ActivityIdFormat.W3C).Start();
            var result = await action();
            root.Stop();
            Counts[operation] = _spansByTrace.TryGetValue(root.TraceId, out var count) ? count : 0;
            return result;
        }

        public void Dispose() => _listener.Dispose();
    }
}
