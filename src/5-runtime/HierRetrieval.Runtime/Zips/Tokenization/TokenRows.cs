using HierRetrieval.Export.Onnx;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace HierRetrieval.Runtime.Zips.Tokenization;

/// <summary>The input row of a tokenizer mapping: the text column it reads.</summary>
public sealed class TokenizerInput
{
    /// <summary>The text.</summary>
    [ColumnName(WordPieceTokenMappings.TextColumnName)]
    public string Text { get; set; } = "";
}

/// <summary>An output row of a tokenizer mapping, whatever its token limit.</summary>
public interface ITokenRow
{
    /// <summary>WordPiece ids, zero-padded to the limit.</summary>
    long[] InputIds { get; set; }

    /// <summary>1 for a real token, 0 for padding.</summary>
    long[] AttentionMask { get; set; }
}

/// <summary>
/// The shared mapping of the tokenizer contracts: text to ids and mask of <typeparamref name="TRow"/>'s length.
/// </summary>
/// <typeparam name="TRow">The output row, whose vector columns have the token limit's length.</typeparam>
/// <param name="limit">The token limit.</param>
public abstract class WordPieceTokenMapping<TRow>(int limit) : CustomMappingFactory<TokenizerInput, TRow>
    where TRow : class, ITokenRow, new()
{
    /// <inheritdoc/>
    public override Action<TokenizerInput, TRow> GetMapping() => (input, output) =>
    {
        output.InputIds = new long[limit];
        output.AttentionMask = new long[limit];
        WordPieceTokenMappings.Fill(input.Text, output.InputIds, output.AttentionMask);
    };
}

/// <summary>Tokens of a 128-token encoder.</summary>
public sealed class TokenRow128 : ITokenRow
{
    /// <inheritdoc/>
    [VectorType(128)]
    [ColumnName(SentenceEncoderOnnx.InputIdsName)]
    public long[] InputIds { get; set; } = [];

    /// <inheritdoc/>
    [VectorType(128)]
    [ColumnName(SentenceEncoderOnnx.AttentionMaskName)]
    public long[] AttentionMask { get; set; } = [];
}

/// <summary>Tokens of a 256-token encoder.</summary>
public sealed class TokenRow256 : ITokenRow
{
    /// <inheritdoc/>
    [VectorType(256)]
    [ColumnName(SentenceEncoderOnnx.InputIdsName)]
    public long[] InputIds { get; set; } = [];

    /// <inheritdoc/>
    [VectorType(256)]
    [ColumnName(SentenceEncoderOnnx.AttentionMaskName)]
    public long[] AttentionMask { get; set; } = [];
}

/// <summary>Tokens of a 512-token encoder.</summary>
public sealed class TokenRow512 : ITokenRow
{
    /// <inheritdoc/>
    [VectorType(512)]
    [ColumnName(SentenceEncoderOnnx.InputIdsName)]
    public long[] InputIds { get; set; } = [];

    /// <inheritdoc/>
    [VectorType(512)]
    [ColumnName(SentenceEncoderOnnx.AttentionMaskName)]
    public long[] AttentionMask { get; set; } = [];
}

/// <summary>The uncased BERT tokenizer at 128 tokens (ML.NET contract <c>HierRetrieval.WordPiece.bert-base-uncased.128</c>).</summary>
[CustomMappingFactoryAttribute("HierRetrieval.WordPiece.bert-base-uncased.128")]
public sealed class BertBaseUncased128() : WordPieceTokenMapping<TokenRow128>(128);

/// <summary>The uncased BERT tokenizer at 256 tokens (ML.NET contract <c>HierRetrieval.WordPiece.bert-base-uncased.256</c>).</summary>
[CustomMappingFactoryAttribute("HierRetrieval.WordPiece.bert-base-uncased.256")]
public sealed class BertBaseUncased256() : WordPieceTokenMapping<TokenRow256>(256);

/// <summary>The uncased BERT tokenizer at 512 tokens (ML.NET contract <c>HierRetrieval.WordPiece.bert-base-uncased.512</c>).</summary>
[CustomMappingFactoryAttribute("HierRetrieval.WordPiece.bert-base-uncased.512")]
public sealed class BertBaseUncased512() : WordPieceTokenMapping<TokenRow512>(512);
