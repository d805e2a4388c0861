using System.CommandLine;
using HierRetrieval.Backbones;
using HierRetrieval.Data.Datasets;
using HierRetrieval.Data.Hierarchies;
using HierRetrieval.Runtime.Text.Backbones;

namespace HierRetrieval.Cli.Commands;

/// <summary>Options shared by several commands, created fresh for each command that uses them.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON on standard output (no progress display)." };

    /// <summary>The <c>--hierarchy</c> option: required, or optional with <paramref name="defaultName"/>.</summary>
    public static Option<string> Hierarchy(string? defaultName = null)
    {
        var option = new Option<string>("--hierarchy")
        {
            Description = $"The hierarchy: {HierarchyCatalog.Forms}.",
            Required = defaultName is null,
            HelpName = "name|path",
        };
        if (defaultName is not null)
        {
            option.DefaultValueFactory = _ => defaultName;
        }

        return option;
    }

    /// <summary>The <c>--backbone</c> option: a packaged sentence encoder, a model folder, or none (towers from scratch).</summary>
    public static Option<string> Backbone() => new("--backbone")
    {
        Description = $"Pretrained sentence encoder under trainable heads: {string.Join(", ", PackagedSentenceEncoders.Names)}, a folder with model.onnx and vocab.txt (and optionally backbone.json), or none (text towers from scratch).",
        DefaultValueFactory = _ => "none",
        HelpName = "name|folder|none",
    };

    /// <summary>The <c>--head-hidden</c> option: the hidden width of the heads over a backbone.</summary>
    public static Option<int> HeadHidden() => AtLeast("--head-hidden", 0, "Hidden width of the heads over a backbone (0: one linear map).", new Training.Towers.BackboneTowerOptions().HiddenSize);

    /// <summary>The model of a <see cref="Backbone"/> value; null for none.</summary>
    public static SentenceEncoderModel? ResolveBackbone(string value) => value == "none" ? null : PackagedSentenceEncoders.Resolve(value);

    /// <summary>The <c>--embedding-cache</c> option: where backbone embeddings are kept between runs.</summary>
    public static Option<string> EmbeddingCache() => new("--embedding-cache")
    {
        Description = "Folder where backbone embeddings are kept between runs (one file per encoder, keyed by text), or none.",
        DefaultValueFactory = _ => Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "hierret", "sentence-embeddings"),
        HelpName = "folder|none",
    };

    /// <summary>The folder of an <see cref="EmbeddingCache"/> value; null for none.</summary>
    public static string? ResolveEmbeddingCache(string value) => value == "none" ? null : value;

    /// <summary>The <c>--node-text</c> option: texts for a hierarchy's nodes.</summary>
    public static Option<string?> NodeText() => new("--node-text")
    {
        Description = "UTF-8 file of node texts, one id<TAB>text per line (# starts a comment); a node without a line keeps its own text (WordNet's lemmas and gloss) or is read as its id.",
        HelpName = "file",
    };

    /// <summary>The hierarchy of a <see cref="Hierarchy"/> value with the texts of a <see cref="NodeText"/> value, if given.</summary>
    public static Hierarchy LoadHierarchy(string nameOrPath, string? nodeTextPath)
    {
        var hierarchy = HierarchyCatalog.Load(nameOrPath);
        return nodeTextPath is null ? hierarchy : NodeTextReader.ReadFile(nodeTextPath, hierarchy);
    }

    public static Option<int> Seed(string what) => new("--seed") { Description = $"Seed of {what}.", DefaultValueFactory = _ => 0 };

    public static Option<int> Threads() => AtLeast("--threads", 1, "Worker threads (default: all cores).", Environment.ProcessorCount);

    /// <summary>An integer option that must be at least <paramref name="minimum"/>; the parser reports a violation naming the option.</summary>
    public static Option<int> AtLeast(string name, int minimum, string description, int? defaultValue = null, bool required = false)
    {
        var option = new Option<int>(name) { Description = description, Required = required };
        if (defaultValue is int value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return Require(option, v => v >= minimum, v => $"{name} must be at least {minimum}, got {v}");
    }

    /// <summary>
    /// A positive number that the trainer can use as a float (at most 3.4E+38; not infinite, not NaN), such as a
    /// learning rate or a temperature; the parser reports a violation naming the option. No default: null.
    /// </summary>
    public static Option<double?> Positive(string name, string description, double? defaultValue)
    {
        var option = new Option<double?>(name) { Description = description };
        if (defaultValue is double value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return Require(option, v => v is null or > 0 and <= float.MaxValue, v => $"{name} must be a positive number no larger than {float.MaxValue:G3}, got {v}");
    }

    /// <summary>
    /// Adds a validator that reports <paramref name="message"/> when a given value fails <paramref name="valid"/>.
    /// A value that does not convert to <typeparamref name="T"/> is left to the parser's own error.
    /// </summary>
    public static Option<T> Require<T>(Option<T> option, Func<T, bool> valid, Func<T, string> message)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;
            }

            if (!valid(value))
            {
                result.AddError(message(value));
            }
        });
        return option;
    }
}
