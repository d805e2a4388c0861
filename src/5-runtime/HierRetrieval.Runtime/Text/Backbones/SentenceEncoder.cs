using HierRetrieval.Export.Onnx;
using HierRetrieval.Retrieval;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>
/// Runs a <see cref="SentenceEncoderModel"/>: texts are tokenised (WordPiece, ids as the Hugging Face tokenizer gives
/// them), sorted by token count and encoded in batches padded only to their longest text, by the model's
/// <see cref="SentenceEncoderModel.PooledGraph"/> (pooling and L2 normalisation in the graph, as in a model zip).
/// Not for concurrent use.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    private static readonly string[] InputNames = [SentenceEncoderOnnx.InputIdsName, SentenceEncoderOnnx.AttentionMaskName];
    private static readonly string[] OutputNames = [SentenceEncoderOnnx.EmbeddingName];

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly int _batchSize;

    /// <summary>Opens the model's graph and vocabulary.</summary>
    /// <exception cref="InvalidDataException">The graph cannot be loaded, lacks the BERT inputs or token-state output, or the vocabulary lacks BERT's special tokens; the message names the model.</exception>
    public SentenceEncoder(SentenceEncoderModel model, SentenceEncoderOptions? options = null)
    {
        options ??= new SentenceEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        Model = model;
        _batchSize = options.BatchSize;
        Tokenizer = WordPieceTokenizers.Uncased(model.Vocabulary, $"{model.Name}/{SentenceEncoderModel.VocabularyFileName}");
        _session = Open(model, options.Threads);
        Dimension = _session.OutputMetadata[SentenceEncoderOnnx.EmbeddingName].Dimensions[1];
    }

    /// <summary>The model this encoder runs.</summary>
    public SentenceEncoderModel Model { get; }

    /// <summary>The WordPiece tokenizer of the model's vocabulary.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>Length of each sentence embedding (384 for MiniLM and arctic-embed-xs).</summary>
    public int Dimension { get; }

    /// <summary>How many texts the encoder has cut to <see cref="SentenceEncoderModel.MaxTokens"/> so far.</summary>
    public long TruncatedTexts { get; private set; }

    /// <summary>The token ids the encoder reads for <paramref name="text"/>: [CLS], WordPieces, [SEP], cut to the model's limit.</summary>
    public int[] Tokenize(string text)
    {
        var ids = Tokenizer.EncodeToIds(text, Model.MaxTokens, addSpecialTokens: true, out string? normalized, out int consumed);
        string read = normalized ?? text;
        if (consumed < read.Length && read.AsSpan(consumed).ContainsAnyExcept(' '))
        {
            TruncatedTexts++;
        }

        return ids as int[] ?? [.. ids];
    }

    /// <summary>Row i = the unit-norm embedding of <paramref name="texts"/>[i].</summary>
    /// <param name="texts">The texts; none may be empty or white space only.</param>
    /// <param name="progress">Told the texts encoded so far, of how many, after each batch.</param>
    /// <param name="cancellationToken">Stops encoding between batches.</param>
    /// <exception cref="ArgumentException">A text is null, empty or white space only; the message gives its index.</exception>
    public EmbeddingMatrix Encode(IReadOnlyList<string> texts, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var tokens = new int[texts.Count][];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = string.IsNullOrWhiteSpace(texts[i])
                ? throw new ArgumentException($"text {i} is empty: a sentence encoder needs at least one word", nameof(texts))
                : Tokenize(texts[i]);
        }

        return EncodeTokens(tokens, progress, cancellationToken);
    }

    /// <summary>Row i = the unit-norm embedding of the token ids <paramref name="tokens"/>[i] (as <see cref="Tokenize"/> gives them).</summary>
    public EmbeddingMatrix EncodeTokens(IReadOnlyList<int[]> tokens, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new EmbeddingMatrix(tokens.Count, Dimension);
        int[] order = [.. Enumerable.Range(0, tokens.Count).OrderBy(i => tokens[i].Length)];
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_batchSize, order.Length - start));
            EncodeBatch(tokens, batch, result);
            progress?.Report((start + batch.Length, order.Length));
        }

        return result;
    }

    private void EncodeBatch(IReadOnlyList<int[]> tokens, ReadOnlySpan<int> batch, EmbeddingMatrix result)
    {
        int rows = batch.Length;
        int length = tokens[batch[^1]].Length;
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        for (int r = 0; r < rows; r++)
        {
            int[] row = tokens[batch[r]];
            for (int t = 0; t < row.Length; t++)
            {
                ids[(r * length) + t] = row[t];
                mask[(r * length) + t] = 1;
            }
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var outputs = _session.Run(_run, InputNames, [idsValue, maskValue], OutputNames);
        ReadOnlySpan<float> embeddings = outputs[0].GetTensorDataAsSpan<float>();
        for (int r = 0; r < rows; r++)
        {
            embeddings.Slice(r * Dimension, Dimension).CopyTo(result.Row(batch[r]));
        }
    }

    private static InferenceSession Open(SentenceEncoderModel model, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            return new InferenceSession(model.PooledGraph, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{model.Name}/{SentenceEncoderModel.OnnxFileName}: not a loadable ONNX graph ({e.Message.Trim()})", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
