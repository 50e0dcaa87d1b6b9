// Reference: naive float64 implementations of every kernel, written as the obvious loops, used as test oracles.
import Foundation
@testable import NASCKernels

enum Ref {
    // MARK: conv2d

    static func conv2d(_ s: Conv2DShape, x: [Double], w: [Double], b: [Double]?) -> [Double] {
        let oh0 = s.outHeight, ow0 = s.outWidth, cg = s.groupInChannels, ocg = s.groupOutChannels
        var y = [Double](repeating: 0, count: s.outputCount)
        for n in 0..<s.batch {
            for oc in 0..<s.outChannels {
                let g = oc / ocg
                for oh in 0..<oh0 {
                    for ow in 0..<ow0 {
                        var acc = b?[oc] ?? 0
                        for ci in 0..<cg {
                            let c = g * cg + ci
                            for kh in 0..<s.kernelHeight {
                                for kw in 0..<s.kernelWidth {
                                    let ih = oh * s.strideHeight - s.padHeight + kh * s.dilationHeight
                                    let iw = ow * s.strideWidth - s.padWidth + kw * s.dilationWidth
                                    if ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth { continue }
                                    acc += x[((n * s.inChannels + c) * s.inHeight + ih) * s.inWidth + iw]
                                        * w[((oc * cg + ci) * s.kernelHeight + kh) * s.kernelWidth + kw]
                                }
                            }
                        }
                        y[((n * s.outChannels + oc) * oh0 + oh) * ow0 + ow] = acc
                    }
                }
            }
        }
        return y
    }

    /// Naive conv backward: scatters each output gradient to the input, weight and bias gradients.
    static func conv2dBackward(_ s: Conv2DShape, x: [Double], w: [Double], gy: [Double])
        -> (gx: [Double], gw: [Double], gb: [Double]) {
        let oh0 = s.outHeight, ow0 = s.outWidth, cg = s.groupInChannels, ocg = s.groupOutChannels
        var gx = [Double](repeating: 0, count: s.inputCount)
        var gw = [Double](repeating: 0, count: s.weightCount)
        var gb = [Double](repeating: 0, count: s.outChannels)
        for n in 0..<s.batch {
            for oc in 0..<s.outChannels {
                let g = oc / ocg
                for oh in 0..<oh0 {
                    for ow in 0..<ow0 {
                        let go = gy[((n * s.outChannels + oc) * oh0 + oh) * ow0 + ow]
                        gb[oc] += go
                        for ci in 0..<cg {
                            let c = g * cg + ci
                            for kh in 0..<s.kernelHeight {
                                for kw in 0..<s.kernelWidth {
                                    let ih = oh * s.strideHeight - s.padHeight + kh * s.dilationHeight
                                    let iw = ow * s.strideWidth - s.padWidth + kw * s.dilationWidth
                                    if ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth { continue }
                                    let xi = ((n * s.inChannels + c) * s.inHeight + ih) * s.inWidth + iw
                                    let wi = ((oc * cg + ci) * s.kernelHeight + kh) * s.kernelWidth + kw
                                    gx[xi] += go * w[wi]
                                    gw[wi] += go * x[xi]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gx, gw, gb)
    }

    // MARK: linear

    static func linear(_ s: LinearShape, x: [Double], w: [Double], b: [Double]?) -> [Double] {
        var y = [Double](repeating: 0, count: s.batch * s.outFeatures)
        for n in 0..<s.batch {
            for o in 0..<s.outFeatures {
                var acc = b?[o] ?? 0
                for i in 0..<s.inFeatures { acc += x[n * s.inFeatures + i] * w[o * s.inFeatures + i] }
                y[n * s.outFeatures + o] = acc
            }
        }
        return y
    }

    static func linearBackward(_ s: LinearShape, x: [Double], w: [Double], gy: [Double])
        -> (gx: [Double], gw: [Double], gb: [Double]) {
        var gx = [Double](repeating: 0, count: s.batch * s.inFeatures)
        var gw = [Double](repeating: 0, count: s.outFeatures * s.inFeatures)
        var gb = [Double](repeating: 0, count: s.outFeatures)
        for n in 0..<s.batch {
            for o in 0..<s.outFeatures {
                let g = gy[n * s.outFeatures + o]
                gb[o] += g
                for i in 0..<s.inFeatures {
                    gx[n * s.inFeatures + i] += g * w[o * s.inFeatures + i]
                    gw[o * s.inFeatures + i] += g * x[n * s.inFeatures + i]
                }
            }
        }
        return (gx, gw, gb)
    }

    // MARK: batch norm

    /// Per-channel batch mean and biased variance.
    static func channelStats(_ s: BatchNormShape, _ x: [Double]) -> (mean: [Double], variance: [Double]) {
        var mean = [Double](repeating: 0, count: s.channels), variance = mean
        let m = Double(s.valuesPerChannel)
        for c in 0..<s.channels {
            for n in 0..<s.batch { for i in 0..<s.spatial { mean[c] += x[(n * s.channels + c) * s.spatial + i] } }
            mean[c] /= m
            for n in 0..<s.batch {
                for i in 0..<s.spatial { let d = x[(n * s.channels + c) * s.spatial + i] - mean[c]; variance[c] += d * d }
            }
            variance[c] /= m
        }
        return (mean, variance)
    }

    /// Normalizes each channel with the given mean and variance, then applies gamma/beta.
    static func batchNormApply(_ s: BatchNormShape, x: [Double], mean: [Double], variance: [Double],
                               gamma: [Double]?, beta: [Double]?, eps: Double) -> [Double] {
        var y = x
        for n in 0..<s.batch {
            for c in 0..<s.channels {
                for i in 0..<s.spatial {
                    let k = (n * s.channels + c) * s.spatial + i
                    y[k] = (x[k] - mean[c]) / (variance[c] + eps).squareRoot() * (gamma?[c] ?? 1) + (beta?[c] ?? 0)
                }
            }
        }
        return y
    }

    static func batchNormTrain(_ s: BatchNormShape, x: [Double], gamma: [Double]?, beta: [Double]?, eps: Double) -> [Double] {
        let st = channelStats(s, x)
        return batchNormApply(s, x: x, mean: st.mean, variance: st.variance, gamma: gamma, beta: beta, eps: eps)
    }

    // MARK: layer norm

    static func layerNorm(_ s: LayerNormShape, x: [Double], gamma: [Double]?, beta: [Double]?, eps: Double) -> [Double] {
        var y = x
        let d = s.features
        for r in 0..<s.rows {
            var mean = 0.0
            for i in 0..<d { mean += x[r * d + i] }
            mean /= Double(d)
            var variance = 0.0
            for i in 0..<d { variance += (x[r * d + i] - mean) * (x[r * d + i] - mean) }
            variance /= Double(d)
            for i in 0..<d {
                y[r * d + i] = (x[r * d + i] - mean) / (variance + eps).squareRoot() * (gamma?[i] ?? 1) + (beta?[i] ?? 0)
            }
        }
        return y
    }

    // MARK: pooling

    /// Naive max pooling; returns values and flat in-plane argmax indices (first max wins).
    static func maxPool(_ s: Pool2DShape, x: [Double]) -> (y: [Double], idx: [Int]) {
        let oh0 = s.outHeight, ow0 = s.outWidth
        var y = [Double](repeating: 0, count: s.outputCount), idx = [Int](repeating: 0, count: s.outputCount)
        for p in 0..<(s.batch * s.channels) {
            for oh in 0..<oh0 {
                for ow in 0..<ow0 {
                    var best = -Double.infinity, bestIdx = -1
                    for kh in 0..<s.kernelHeight {
                        for kw in 0..<s.kernelWidth {
                            let ih = oh * s.strideHeight - s.padHeight + kh, iw = ow * s.strideWidth - s.padWidth + kw
                            if ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth { continue }
                            let v = x[(p * s.inHeight + ih) * s.inWidth + iw]
                            if bestIdx < 0 || v > best { best = v; bestIdx = ih * s.inWidth + iw }
                        }
                    }
                    y[(p * oh0 + oh) * ow0 + ow] = best
                    idx[(p * oh0 + oh) * ow0 + ow] = bestIdx
                }
            }
        }
        return (y, idx)
    }

    /// Naive average pooling with PyTorch's divisor rule (padded window clipped at `size + pad`).
    static func avgPool(_ s: Pool2DShape, includePad: Bool, x: [Double]) -> [Double] {
        let oh0 = s.outHeight, ow0 = s.outWidth
        var y = [Double](repeating: 0, count: s.outputCount)
        for p in 0..<(s.batch * s.channels) {
            for oh in 0..<oh0 {
                for ow in 0..<ow0 {
                    var sum = 0.0, inside = 0, padded = 0
                    for kh in 0..<s.kernelHeight {
                        for kw in 0..<s.kernelWidth {
                            let ih = oh * s.strideHeight - s.padHeight + kh, iw = ow * s.strideWidth - s.padWidth + kw
                            if ih < s.inHeight + s.padHeight && iw < s.inWidth + s.padWidth { padded += 1 }
                            if ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth { continue }
                            sum += x[(p * s.inHeight + ih) * s.inWidth + iw]
                            inside += 1
                        }
                    }
                    y[(p * oh0 + oh) * ow0 + ow] = sum / Double(includePad ? padded : inside)
                }
            }
        }
        return y
    }

    // MARK: activations

    static func activation(_ kind: ActivationKind, _ x: Double) -> Double {
        switch kind {
        case .relu: return max(x, 0)
        case .relu6: return min(max(x, 0), 6)
        case .sigmoid: return 1 / (1 + exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        case .hardswish: return x * min(max(x + 3, 0), 6) / 6
        }
    }

    static func activationDerivative(_ kind: ActivationKind, _ x: Double) -> Double {
        switch kind {
        case .relu: return x > 0 ? 1 : 0
        case .relu6: return (x > 0 && x < 6) ? 1 : 0
        case .sigmoid: let s = 1 / (1 + exp(-x)); return s * (1 - s)
        case .tanh: let t = Foundation.tanh(x); return 1 - t * t
        case .gelu: return 0.5 * (1 + erf(x / 2.0.squareRoot())) + x * exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        case .hardswish: return x <= -3 ? 0 : (x < 3 ? x / 3 + 0.5 : 1)
        }
    }

    // MARK: softmax and losses

    static func softmax(rows: Int, cols: Int, _ x: [Double]) -> [Double] {
        var y = x
        for r in 0..<rows {
            var sum = 0.0
            for i in 0..<cols { sum += exp(x[r * cols + i]) }
            for i in 0..<cols { y[r * cols + i] = exp(x[r * cols + i]) / sum }
        }
        return y
    }

    static func logSoftmax(rows: Int, cols: Int, _ x: [Double]) -> [Double] {
        var y = x
        for r in 0..<rows {
            var sum = 0.0
            for i in 0..<cols { sum += exp(x[r * cols + i]) }
            for i in 0..<cols { y[r * cols + i] = x[r * cols + i] - log(sum) }
        }
        return y
    }

    static func crossEntropy(batch: Int, classes: Int, logits: [Double], labels: [Int64], smoothing: Double) -> Double {
        let lp = logSoftmax(rows: batch, cols: classes, logits)
        var total = 0.0
        for n in 0..<batch {
            for c in 0..<classes {
                let target = (c == Int(labels[n]) ? 1 - smoothing : 0) + smoothing / Double(classes)
                total -= target * lp[n * classes + c]
            }
        }
        return total / Double(batch)
    }

    static func nll(batch: Int, classes: Int, logp: [Double], labels: [Int64]) -> Double {
        var total = 0.0
        for n in 0..<batch { total -= logp[n * classes + Int(labels[n])] }
        return total / Double(batch)
    }
}
