#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/models/onnx_ops.hpp"

namespace shoal {

namespace {

/// Writes y[i, j] of a Gemm from the dot product `dot` of A's row and B's
/// column.
inline void gemm_store(const onnx_gemm& g, const float* c, float* y, int64_t i,
                       int64_t j, double dot) {
  double v = g.alpha * dot;
  if (c != nullptr)
    v += g.beta * static_cast<double>(c[i * g.c_rs + j * g.c_cs]);
  y[i * g.n + j] = static_cast<float>(v);
}

void run_gemm(const onnx_gemm& g, const float* a, const float* b,
              const float* c, float* y) {
  for (int64_t i = 0; i < g.m; ++i) {
    const float* ai = a + i * g.a_rs;
    int64_t j = 0;
    // Four columns at a time, in double: independent sums that stay in
    // registers, so the loop runs at the speed of the multiplier.
    for (; j + 4 <= g.n; j += 4) {
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int64_t p = 0; p < g.k; ++p) {
        double av = ai[p * g.a_cs];
        const float* r = b + p * g.b_rs + j * g.b_cs;
        s0 += av * r[0];
        s1 += av * r[g.b_cs];
        s2 += av * r[2 * g.b_cs];
        s3 += av * r[3 * g.b_cs];
      }
      gemm_store(g, c, y, i, j, s0);
      gemm_store(g, c, y, i, j + 1, s1);
      gemm_store(g, c, y, i, j + 2, s2);
      gemm_store(g, c, y, i, j + 3, s3);
    }
    for (; j < g.n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < g.k; ++p)
        s += ai[p * g.a_cs] * static_cast<double>(b[p * g.b_rs + j * g.b_cs]);
      gemm_store(g, c, y, i, j, s);
    }
  }
}

template <class F>
void broadcast(const onnx_broadcast& p, int64_t count, const float* a,
               const float* b, float* y, F f) {
  if (p.same) {
    for (int64_t i = 0; i < count; ++i)
      y[i] = f(a[i], b[i]);
    return;
  }
  int64_t idx[onnx_broadcast::max_rank] = {};
  int64_t ia = 0;
  int64_t ib = 0;
  for (int64_t i = 0; i < count; ++i) {
    y[i] = f(a[ia], b[ib]);
    for (int d = p.rank - 1; d >= 0; --d) {
      ia += p.a_st[d];
      ib += p.b_st[d];
      if (++idx[d] < p.dims[d])
        break;
      ia -= p.a_st[d] * p.dims[d];
      ib -= p.b_st[d] * p.dims[d];
      idx[d] = 0;
    }
  }
}

void run_binary(const onnx_step& s, const onnx_broadcast& p, const float* a,
                const float* b, float* y) {
  switch (s.kind) {
    case onnx_add:
      return broadcast(p, s.count, a, b, y, [](float x, float z) { //
        return x + z;
      });
    case onnx_sub:
      return broadcast(p, s.count, a, b, y, [](float x, float z) { //
        return x - z;
      });
    case onnx_mul:
      return broadcast(p, s.count, a, b, y, [](float x, float z) { //
        return x * z;
      });
    default:
      return broadcast(p, s.count, a, b, y, [](float x, float z) { //
        return x / z;
      });
  }
}

void run_unary(const onnx_step& s, const float* x, float* y) {
  for (int64_t i = 0; i < s.count; ++i) {
    float v = x[i];
    switch (s.kind) {
      // Written so that NaN passes through, as in numpy.
      case onnx_relu: y[i] = v < 0 ? 0.f : v; break;
      case onnx_leaky_relu: y[i] = v < 0 ? s.f0 * v : v; break;
      case onnx_clip: y[i] = v < s.f0 ? s.f0 : (v > s.f1 ? s.f1 : v); break;
      case onnx_tanh: y[i] = static_cast<float>(std::tanh(double{v})); break;
      default: y[i] = static_cast<float>(1 / (1 + std::exp(-double{v}))); break;
    }
  }
}

void run_softmax(const onnx_softmax& p, const float* x, float* y, double* acc) {
  for (int64_t o = 0; o < p.outer; ++o)
    for (int64_t i = 0; i < p.inner; ++i) {
      const float* xs = x + o * p.len * p.inner + i;
      float* ys = y + o * p.len * p.inner + i;
      double hi = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j < p.len; ++j)
        hi = std::max(hi, double{xs[j * p.inner]});
      double sum = 0;
      for (int64_t j = 0; j < p.len; ++j)
        sum += acc[j] = std::exp(xs[j * p.inner] - hi);
      for (int64_t j = 0; j < p.len; ++j)
        ys[j * p.inner] = static_cast<float>(acc[j] / sum);
    }
}

} // namespace

void run_dense(const onnx_step& s, const onnx_dense_tables& tables,
               const onnx_memory& mem) {
  float* y = mem.out(s.out);
  switch (s.op) {
    case onnx_op::gemm: {
      const float* c = s.in_count > 2 ? mem.in(mem.operand(s, 2)) : nullptr;
      run_gemm(tables.gemms[s.param], mem.in(mem.operand(s, 0)),
               mem.in(mem.operand(s, 1)), c, y);
      break;
    }
    case onnx_op::binary:
      run_binary(s, tables.broadcasts[s.param], mem.in(mem.operand(s, 0)),
                 mem.in(mem.operand(s, 1)), y);
      break;
    case onnx_op::unary: run_unary(s, mem.in(mem.operand(s, 0)), y); break;
    case onnx_op::softmax:
      run_softmax(tables.softmaxes[s.param], mem.in(mem.operand(s, 0)), y,
                  mem.acc);
      break;
    case onnx_op::concat: {
      const auto& p = tables.concats[s.param];
      for (int64_t o = 0; o < p.outer; ++o)
        for (uint32_t i = 0; i < s.in_count; ++i) {
          auto len = p.chunks[i];
          const float* x = mem.in(mem.operand(s, i)) + o * len;
          y = std::copy(x, x + len, y);
        }
      break;
    }
    default: break;
  }
}

size_t onnx_dense_tables::memory_bytes() const {
  size_t n = gemms.capacity() * sizeof(onnx_gemm)
             + broadcasts.capacity() * sizeof(onnx_broadcast)
             + softmaxes.capacity() * sizeof(onnx_softmax)
             + concats.capacity() * sizeof(onnx_concat);
  for (const auto& c : concats)
    n += c.chunks.capacity() * sizeof(int64_t);
  return n;
}

} // namespace shoal
