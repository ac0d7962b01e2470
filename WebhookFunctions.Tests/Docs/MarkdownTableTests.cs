using System.Text.RegularExpressions;
using WebhookFunctions.Tests.Support;

namespace WebhookFunctions.Tests.Docs;

// A table renders only as one block of rows whose second line is the delimiter row: a blank line inside it (the
// README's configuration table once had one) cuts it in two, and the rows after it show as plain text.
public sealed partial class MarkdownTableTests
{
    [Fact]
    public void Every_table_in_the_readme_and_the_docs_is_one_block_with_a_delimiter_row()
    {
        var root = RepositoryRoot.Find();
        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md"));

        var broken = pages.SelectMany(page => BrokenTables(page).Select(line => $"{Path.GetRelativePath(root, page)}:{line}")).ToList();

        Assert.Empty(broken);
    }

    /// <summary>The first line of each run of table rows (outside code fences) whose second line is not a delimiter row.</summary>
    private static IEnumerable<int> BrokenTables(string page)
    {
        var lines = File.ReadAllLines(page);
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            var startsTable = !inFence && IsRow(lines[i]) && (i == 0 || !IsRow(lines[i - 1]));
            if (startsTable && (i + 1 == lines.Length || !DelimiterRow().IsMatch(lines[i + 1])))
            {
                yield return i + 1;
            }
        }
    }

    private static bool IsRow(string line) => line.StartsWith('|');

    [GeneratedRegex(@"^\|(\s*:?-{3,}:?\s*\|)+\s*$")]
    private static partial Regex DelimiterRow();
}
