using TorchSharp;
using static TorchSharp.torch;

namespace HierRetrieval.Training.Optimization;

/// <summary>Adam over a whole parameter tensor, for network weights (every entry receives a gradient each step).</summary>
public static class DenseAdam
{
    /// <summary>Updates <paramref name="parameter"/> and its moments in place from <paramref name="gradient"/>.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="firstMoment">Adam's m, same shape.</param>
    /// <param name="secondMoment">Adam's v, same shape.</param>
    /// <param name="gradient">The gradient, same shape.</param>
    /// <param name="settings">Betas and epsilon.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="step">1-based step count of this optimizer, for bias correction.</param>
    public static void Update(Tensor parameter, Tensor firstMoment, Tensor secondMoment, Tensor gradient, AdamSettings settings, double learningRate, long step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double biasCorrection1 = 1 - Math.Pow(settings.Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(settings.Beta2, step);

        // Scalars are created and disposed explicitly: a temporary Scalar can be finalised while libtorch still reads it.
        // That includes the overloads without alpha: TorchSharp's add_(Scalar) passes a temporary alpha of 1.
        using Scalar one = 1.0.ToScalar();
        using Scalar beta1 = settings.Beta1.ToScalar(), oneMinusBeta1 = (1 - settings.Beta1).ToScalar();
        using Scalar beta2 = settings.Beta2.ToScalar(), oneMinusBeta2 = (1 - settings.Beta2).ToScalar();
        using Scalar correction2 = Math.Sqrt(biasCorrection2).ToScalar(), epsilon = settings.Epsilon.ToScalar();
        using Scalar stepSize = (-learningRate / biasCorrection1).ToScalar();
        firstMoment.mul_(beta1).add_(gradient, alpha: oneMinusBeta1);
        secondMoment.mul_(beta2).addcmul_(gradient, gradient, value: oneMinusBeta2);
        var denominator = secondMoment.sqrt().div_(correction2).add_(epsilon, one);
        parameter.addcdiv_(firstMoment, denominator, value: stepSize);
    }
}
