using System.Text.RegularExpressions;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Docs;

// Code, tests and docs cite the original specification by a section of docs/spec.md (the seed itself is not in the
// repository): each citation must lead to a heading that exists there.
public sealed partial class SpecCitationTests
{
    private static readonly string[] CitingFiles = ["*.cs", "*.md"];

    [Fact]
    public void Every_citation_of_docs_spec_md_names_a_section_it_has()
    {
        var root = RepositoryRoot.Find();
        var sections = Headings(Path.Combine(root, "docs", "spec.md"));

        var citations = SourceFiles(root).SelectMany(file => Citation().Matches(File.ReadAllText(file))
            .Select(match => (File: Path.GetRelativePath(root, file), Section: match.Groups["section"].Value))).ToList();

        var unknown = citations.Where(c => !sections.Contains(c.Section)).ToList();

        Assert.NotEmpty(citations);
        Assert.Empty(unknown);
    }

    [Fact]
    public void Nothing_cites_the_seed_by_a_bare_section_number()
    {
        var root = RepositoryRoot.Find();

        var bare = SourceFiles(root).Where(file => BareSectionNumber().IsMatch(File.ReadAllText(file))).Select(file => Path.GetRelativePath(root, file));

        Assert.Empty(bare);
    }

    /// <summary>The repository's own files: not build output, installed packages or git's.</summary>
    private static IEnumerable<string> SourceFiles(string root) =>
        CitingFiles.SelectMany(pattern => Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories))
            .Where(file => !Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar)
                .Any(folder => folder is "bin" or "obj" or "node_modules" or ".git"));

    /// <summary>GitHub's anchors for the page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Headings(string page) =>
        [.. File.ReadLines(page).Where(line => line.StartsWith('#'))
            .Select(line => AnchorPunctuation().Replace(line.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))];

    [GeneratedRegex(@"spec\.md#(?<section>[A-Za-z0-9_-]+)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"seed section \d|\(section \d", RegexOptions.IgnoreCase)]
    private static partial Regex BareSectionNumber();

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex AnchorPunctuation();
}
