using System.Numerics.Tensors;
using HierRetrieval.Retrieval;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace HierRetrieval.Runtime.Text.Backbones;

/// <summary>
/// Runs a <see cref="SentenceEncoderModel"/>: texts are tokenised (WordPiece, ids as the Hugging Face tokenizer gives
/// them), sorted by token count and encoded in batches padded only to their longest text, pooled and L2-normalised.
/// Not for concurrent use.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string TokenTypeIds = "token_type_ids";

    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
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
        _inputNames = _session.InputMetadata.ContainsKey(TokenTypeIds) ? [InputIds, AttentionMask, TokenTypeIds] : [InputIds, AttentionMask];
        _outputNames = [_session.OutputMetadata.Keys.First()];
        Dimension = CheckSignature(model.Name, _session);
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
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[rows * length], shape);
        OrtValue[] inputs = _inputNames.Length == 3 ? [idsValue, maskValue, typesValue] : [idsValue, maskValue];
        using var outputs = _session.Run(_run, _inputNames, inputs, _outputNames);
        ReadOnlySpan<float> states = outputs[0].GetTensorDataAsSpan<float>();
        for (int r = 0; r < rows; r++)
        {
            Pool(states.Slice(r * length * Dimension, length * Dimension), tokens[batch[r]].Length, result.Row(batch[r]));
        }
    }

    private void Pool(ReadOnlySpan<float> states, int realTokens, Span<float> embedding)
    {
        states[..Dimension].CopyTo(embedding);
        if (Model.Pooling == BackbonePooling.Mean)
        {
            for (int t = 1; t < realTokens; t++)
            {
                TensorPrimitives.Add(embedding, states.Slice(t * Dimension, Dimension), embedding);
            }
        }

        TensorPrimitives.Divide(embedding, MathF.Max(TensorPrimitives.Norm(embedding), 1e-12f), embedding);
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
            return new InferenceSession(model.OnnxModel, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{model.Name}/{SentenceEncoderModel.OnnxFileName}: not a loadable ONNX graph ({e.Message.Trim()})", e);
        }
    }

    private static int CheckSignature(string name, InferenceSession session)
    {
        foreach (string input in new[] { InputIds, AttentionMask })
        {
            if (!session.InputMetadata.TryGetValue(input, out var metadata) || metadata.ElementDataType != TensorElementType.Int64)
            {
                throw new InvalidDataException($"{name}/{SentenceEncoderModel.OnnxFileName}: the graph needs an int64 input '{input}' (a BERT-style sentence encoder)");
            }
        }

        var output = session.OutputMetadata.Values.First();
        return output.ElementDataType == TensorElementType.Float && output.Dimensions.Length == 3 && output.Dimensions[2] > 0
            ? output.Dimensions[2]
            : throw new InvalidDataException($"{name}/{SentenceEncoderModel.OnnxFileName}: the graph's first output must be float token states [batch, tokens, dimension]");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
