// Dequantisation against the reference fixtures (bit for bit) and the fp16/bf16
// conversions at their edges.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "../shared_data.h"
#include "error.h"
#include "gguf_reader.h"
#include "quant.h"

namespace {

constexpr const char* kZoo = "fixtures/quant/quant-zoo.gguf";

struct ZooCase {
    const char* name;  // tensor name in quant-zoo.gguf and fixture file stem
    ll::DType type;
};

const ZooCase kZooCases[] = {
    {"q8_0", ll::DType::Q8_0}, {"q4_0", ll::DType::Q4_0}, {"q4_1", ll::DType::Q4_1},
    {"q5_0", ll::DType::Q5_0}, {"q5_1", ll::DType::Q5_1}, {"q2_k", ll::DType::Q2_K},
    {"q3_k", ll::DType::Q3_K}, {"q4_k", ll::DType::Q4_K}, {"q5_k", ll::DType::Q5_K},
    {"q6_k", ll::DType::Q6_K},
};

class QuantZoo : public ::testing::TestWithParam<ZooCase> {};

TEST_P(QuantZoo, MatchesReferenceBitForBit) {
    LL_REQUIRE_SHARED(kZoo);
    const ZooCase c = GetParam();
    const ll::GgufFile file(lltest::shared_path(kZoo));
    const ll::Tensor* t = file.tensor(c.name);
    ASSERT_NE(t, nullptr) << c.name;
    ASSERT_EQ(t->type, c.type);
    ASSERT_EQ(t->shape, (std::vector<int64_t>{64, 256}));
    ASSERT_EQ(t->bytes, *ll::dtype_bytes(c.type, 64 * 256));

    const auto ref = lltest::read_binary<float>(
        lltest::shared_path(std::string("fixtures/quant/") + c.name + ".dequant.f32"));
    ASSERT_EQ(ref.size(), size_t{64 * 256});

    // Row by row, as the engine will use it.
    std::vector<float> out(ref.size(), -1.0f);
    const size_t row_bytes = t->bytes / 64;
    for (int r = 0; r < 64; ++r) {
        ll::dequantize_row(c.type, t->data + r * row_bytes, out.data() + r * 256, 256);
    }
    size_t first_diff = out.size();
    for (size_t i = 0; i < out.size(); ++i) {
        if (std::bit_cast<uint32_t>(out[i]) != std::bit_cast<uint32_t>(ref[i])) {
            first_diff = i;
            break;
        }
    }
    ASSERT_EQ(first_diff, out.size()) << c.name << " differs at " << first_diff << ": got "
                                      << out[first_diff] << ", want " << ref[first_diff];
    EXPECT_EQ(std::memcmp(out.data(), ref.data(), ref.size() * sizeof(float)), 0);

    // The whole tensor in one call gives the same result.
    std::vector<float> whole(ref.size());
    ll::dequantize_row(c.type, t->data, whole.data(), 64 * 256);
    EXPECT_EQ(std::memcmp(whole.data(), ref.data(), ref.size() * sizeof(float)), 0);
}

TEST_P(QuantZoo, CloseToSource) {
    LL_REQUIRE_SHARED(kZoo);
    const ZooCase c = GetParam();
    const ll::GgufFile file(lltest::shared_path(kZoo));
    const ll::Tensor* src = file.tensor("source.f32");
    const ll::Tensor* t = file.tensor(c.name);
    ASSERT_TRUE(src && t);
    std::vector<float> s(64 * 256), q(64 * 256);
    ll::dequantize_row(ll::DType::F32, src->data, s.data(), 64 * 256);
    ll::dequantize_row(c.type, t->data, q.data(), 64 * 256);
    float max_err = 0;
    for (size_t i = 0; i < s.size(); ++i) max_err = std::max(max_err, std::fabs(s[i] - q[i]));
    EXPECT_LT(max_err, 0.04f) << c.name;  // quant-zoo.json: worst (Q2_K) is 0.0349
}

INSTANTIATE_TEST_SUITE_P(AllFormats, QuantZoo, ::testing::ValuesIn(kZooCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Blocks that llama.cpp's llama-quantize wrote for every file type real models use (Q2_K,
// Q3_K_S/M, Q4_0, Q4_1, Q4_K_M, Q5_0, Q5_1, Q5_K_M, Q6_K, Q8_0, IQ4_NL, IQ4_XS) and gguf-py's
// dequantisation of them: tests/engine/data/quant_blocks/ (made by make_quant_blocks.sh).
// Each stored tensor "<file type>.<block type>.<tensor>" has its reference in "<...>.ref".
TEST(QuantBlocks, EveryBlockTypeMatchesGgufPyBitForBit) {
    const ll::GgufFile file(std::string(LONGLENS_SOURCE_DIR) +
                            "/tests/engine/data/quant_blocks/quant_blocks.gguf");
    std::set<ll::DType> seen;
    for (const ll::Tensor& t : file.tensors()) {
        if (t.name.ends_with(".ref")) continue;
        const ll::Tensor* ref = file.tensor(t.name + ".ref");
        ASSERT_NE(ref, nullptr) << t.name;
        ASSERT_EQ(ref->type, ll::DType::F32);
        ASSERT_EQ(ref->shape, t.shape) << t.name;
        seen.insert(t.type);
        const int64_t rows = t.rows(), cols = t.cols();
        const size_t row_bytes = t.bytes / static_cast<size_t>(rows);
        std::vector<float> out(static_cast<size_t>(cols));
        for (int64_t r = 0; r < rows; ++r) {
            ll::dequantize_row(t.type, t.data + r * row_bytes, out.data(), cols);
            const auto* want = reinterpret_cast<const float*>(ref->data) + r * cols;
            for (int64_t i = 0; i < cols; ++i) {
                ASSERT_EQ(std::bit_cast<uint32_t>(out[i]), std::bit_cast<uint32_t>(want[i]))
                    << t.name << " row " << r << " element " << i << ": got " << out[i] << ", want "
                    << want[i];
            }
        }
    }
    const std::set<ll::DType> all = {ll::DType::Q2_K, ll::DType::Q3_K,   ll::DType::Q4_0,
                                     ll::DType::Q4_1, ll::DType::Q4_K,   ll::DType::Q5_0,
                                     ll::DType::Q5_1, ll::DType::Q5_K,   ll::DType::Q6_K,
                                     ll::DType::Q8_0, ll::DType::IQ4_NL, ll::DType::IQ4_XS};
    EXPECT_EQ(seen, all);
}

TEST(Fp16, NormalValues) {
    EXPECT_EQ(ll::fp16_to_f32(0x3C00), 1.0f);
    EXPECT_EQ(ll::fp16_to_f32(0xC000), -2.0f);
    EXPECT_EQ(ll::fp16_to_f32(0x3555), 0x1.554p-2f);
    EXPECT_EQ(ll::fp16_to_f32(0x7BFF), 65504.0f);               // largest finite
    EXPECT_EQ(ll::fp16_to_f32(0x0400), std::ldexp(1.0f, -14));  // smallest normal
}

TEST(Fp16, ZerosAndSubnormals) {
    EXPECT_EQ(std::bit_cast<uint32_t>(ll::fp16_to_f32(0x0000)), 0x00000000u);
    EXPECT_EQ(std::bit_cast<uint32_t>(ll::fp16_to_f32(0x8000)), 0x80000000u);  // -0
    EXPECT_EQ(ll::fp16_to_f32(0x0001), std::ldexp(1.0f, -24));                 // smallest subnormal
    EXPECT_EQ(ll::fp16_to_f32(0x8001), -std::ldexp(1.0f, -24));
    EXPECT_EQ(ll::fp16_to_f32(0x03FF), 1023.0f * std::ldexp(1.0f, -24));  // largest subnormal
    EXPECT_EQ(ll::fp16_to_f32(0x0200), std::ldexp(1.0f, -15));
}

TEST(Fp16, InfinityAndNan) {
    EXPECT_EQ(ll::fp16_to_f32(0x7C00), std::numeric_limits<float>::infinity());
    EXPECT_EQ(ll::fp16_to_f32(0xFC00), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(ll::fp16_to_f32(0x7E00)));
    EXPECT_TRUE(std::isnan(ll::fp16_to_f32(0x7C01)));  // signalling NaN stays NaN
    EXPECT_TRUE(std::isnan(ll::fp16_to_f32(0xFE00)));
    // The payload moves to the top of the float32 mantissa, as a widening conversion does.
    EXPECT_EQ(std::bit_cast<uint32_t>(ll::fp16_to_f32(0x7E01)), 0x7FC02000u);
    EXPECT_EQ(std::bit_cast<uint32_t>(ll::fp16_to_f32(0xFC01)), 0xFF802000u);
}

// Every half value round-trips through float exactly: float -> half by the compiler's
// own conversion, where the platform has _Float16.
TEST(Fp16, AllValuesAgreeWithArithmeticDefinition) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const uint32_t exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
        const float sign = (h & 0x8000) ? -1.0f : 1.0f;
        const float v = ll::fp16_to_f32(static_cast<uint16_t>(h));
        if (exp == 0x1F) {
            EXPECT_EQ(std::isnan(v), mant != 0) << h;
            continue;
        }
        const float want = exp == 0 ? sign * std::ldexp(static_cast<float>(mant), -24)
                                    : sign * std::ldexp(1.0f + static_cast<float>(mant) / 1024.0f,
                                                        static_cast<int>(exp) - 15);
        ASSERT_EQ(std::bit_cast<uint32_t>(v), std::bit_cast<uint32_t>(want)) << std::hex << h;
    }
}

TEST(Bf16, Conversions) {
    EXPECT_EQ(ll::bf16_to_f32(0x3F80), 1.0f);
    EXPECT_EQ(ll::bf16_to_f32(0xC040), -3.0f);
    EXPECT_EQ(std::bit_cast<uint32_t>(ll::bf16_to_f32(0x8000)), 0x80000000u);
    EXPECT_EQ(ll::bf16_to_f32(0x0001), std::bit_cast<float>(0x00010000u));  // subnormal
    EXPECT_GT(ll::bf16_to_f32(0x0001), 0.0f);
    EXPECT_EQ(ll::bf16_to_f32(0x7F80), std::numeric_limits<float>::infinity());
    EXPECT_EQ(ll::bf16_to_f32(0xFF80), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(ll::bf16_to_f32(0x7FC0)));
    EXPECT_EQ(std::bit_cast<uint32_t>(ll::bf16_to_f32(0x7F81)), 0x7F810000u);
}

TEST(DequantizeRow, HalfFloatRowsAndUnalignedSource) {
    // Odd offset: rows inside a mapped file need not be aligned.
    const uint8_t bytes[] = {0xAA, 0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C};
    float out[4];
    ll::dequantize_row(ll::DType::F16, bytes + 1, out, 4);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -2.0f);
    EXPECT_EQ(out[2], std::ldexp(1.0f, -24));
    EXPECT_EQ(out[3], std::numeric_limits<float>::infinity());
    const uint8_t bf[] = {0x80, 0x3F, 0x40, 0xC0};
    ll::dequantize_row(ll::DType::BF16, bf, out, 2);
    EXPECT_EQ(out[0], 1.0f);
    EXPECT_EQ(out[1], -3.0f);
}

TEST(DequantizeRow, RejectsPartialBlocks) {
    std::vector<uint8_t> block(256);
    std::vector<float> out(256);
    EXPECT_THROW(ll::dequantize_row(ll::DType::Q4_0, block.data(), out.data(), 31),
                 ll::EngineError);
    EXPECT_THROW(ll::dequantize_row(ll::DType::Q4_K, block.data(), out.data(), 32),
                 ll::EngineError);
    EXPECT_THROW(ll::dequantize_row(ll::DType::Q8_0, block.data(), out.data(), -32),
                 ll::EngineError);
    EXPECT_NO_THROW(ll::dequantize_row(ll::DType::Q8_0, block.data(), out.data(), 0));
}

TEST(DequantizeRow, HandBuiltQ8Block) {
    uint8_t block[34] = {0x00, 0x38};  // d = 0.5
    for (int i = 0; i < 32; ++i) block[2 + i] = static_cast<uint8_t>(static_cast<int8_t>(i - 16));
    float out[32];
    ll::dequantize_row(ll::DType::Q8_0, block, out, 32);
    for (int i = 0; i < 32; ++i) EXPECT_EQ(out[i], 0.5f * static_cast<float>(i - 16));
}

TEST(DType, TableAndSizes) {
    EXPECT_EQ(ll::dtype_name(ll::DType::Q4_K), "Q4_K");
    EXPECT_EQ(ll::dtype_name(ll::DType::BF16), "BF16");
    EXPECT_EQ(ll::dtype_info(ll::DType::Q6_K).block_bytes, 210);
    EXPECT_EQ(ll::dtype_info(ll::DType::Q3_K).block_bytes, 110);
    EXPECT_EQ(ll::dtype_info(ll::DType::Q5_1).block_elems, 32);
    EXPECT_FALSE(ll::dtype_info(uint32_t{4}).has_value());   // Q4_2: removed from ggml
    EXPECT_FALSE(ll::dtype_info(uint32_t{16}).has_value());  // IQ2_XXS: not supported
    EXPECT_EQ(ll::dtype_name(ll::DType::IQ4_NL), "IQ4_NL");
    EXPECT_EQ(ll::dtype_info(uint32_t{20})->block_bytes, 18);   // IQ4_NL: d + 16 nibble bytes
    EXPECT_EQ(ll::dtype_info(uint32_t{23})->block_bytes, 136);  // IQ4_XS: d, 2 + 4 scale bytes, 128
    EXPECT_EQ(ll::dtype_info(uint32_t{23})->block_elems, 256);
    EXPECT_FALSE(ll::dtype_info(uint32_t{0xFFFFFFFF}).has_value());
    EXPECT_EQ(ll::dtype_bytes(ll::DType::F32, 10), size_t{40});
    EXPECT_EQ(ll::dtype_bytes(ll::DType::Q4_0, 64), size_t{36});
    EXPECT_EQ(ll::dtype_bytes(ll::DType::Q2_K, 512), size_t{168});
    EXPECT_FALSE(ll::dtype_bytes(ll::DType::Q4_0, 33).has_value());
    EXPECT_FALSE(ll::dtype_bytes(ll::DType::F32, UINT64_MAX / 2).has_value());
    EXPECT_FALSE(ll::dtype_bytes(ll::DType::Q8_0, UINT64_MAX - 31).has_value());  // 34 B per 32
    EXPECT_EQ(ll::dtype_bytes(ll::DType::Q6_K, UINT64_MAX - 255), (UINT64_MAX >> 8) * 210);
    EXPECT_FALSE(ll::dtype_bytes(static_cast<ll::DType>(99), 1).has_value());
}

}  // namespace
