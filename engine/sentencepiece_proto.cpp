#include "sentencepiece_proto.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "error.h"

namespace ll::spm {
namespace {

// Protobuf wire types.
enum Wire : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// Field numbers from sentencepiece_model.proto (google/sentencepiece, src/).
namespace model_proto {
constexpr uint32_t kPieces = 1;
constexpr uint32_t kTrainerSpec = 2;
constexpr uint32_t kNormalizerSpec = 3;
}  // namespace model_proto

namespace sentence_piece {
constexpr uint32_t kPiece = 1;
constexpr uint32_t kScore = 2;
constexpr uint32_t kType = 3;
constexpr int32_t kTypeByte = 6;
}  // namespace sentence_piece

namespace trainer_spec {
constexpr uint32_t kModelType = 3;
constexpr int32_t kModelTypeBpe = 2;
constexpr uint32_t kVocabSize = 4;
constexpr uint32_t kByteFallback = 35;
constexpr uint32_t kUnkId = 40;
constexpr uint32_t kBosId = 41;
constexpr uint32_t kEosId = 42;
constexpr uint32_t kUnkPiece = 45;
constexpr uint32_t kBosPiece = 46;
constexpr uint32_t kEosPiece = 47;
}  // namespace trainer_spec

namespace normalizer_spec {
constexpr uint32_t kName = 1;
constexpr uint32_t kAddDummyPrefix = 3;
constexpr uint32_t kRemoveExtraWhitespaces = 4;
constexpr uint32_t kEscapeWhitespaces = 5;
}  // namespace normalizer_spec

class Writer {
public:
    void int32(uint32_t field, int32_t value) {
        // Negative int32 values are sign-extended to 64 bits on the wire, as protobuf does.
        tag(field, kVarint);
        varint(static_cast<uint64_t>(static_cast<int64_t>(value)));
    }
    void boolean(uint32_t field, bool value) {
        tag(field, kVarint);
        varint(value ? 1 : 0);
    }
    void float32(uint32_t field, float value) {
        uint32_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        tag(field, kFixed32);
        for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
    }
    void bytes(uint32_t field, std::string_view value) {
        tag(field, kLengthDelimited);
        varint(value.size());
        out_.append(value);
    }
    std::string take() { return std::move(out_); }

private:
    void tag(uint32_t field, Wire wire) { varint((uint64_t{field} << 3) | wire); }
    void varint(uint64_t value) {
        while (value >= 0x80) {
            out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
            value >>= 7;
        }
        out_.push_back(static_cast<char>(value));
    }
    std::string out_;
};

std::string piece_message(const Vocab& vocab, size_t i) {
    Writer w;
    w.bytes(sentence_piece::kPiece, vocab.pieces[i]);
    w.float32(sentence_piece::kScore, vocab.scores[i]);
    w.int32(sentence_piece::kType, vocab.types[i]);
    return w.take();
}

std::string trainer_spec_message(const Vocab& vocab) {
    // sentencepiece refuses byte pieces without byte_fallback, and byte_fallback without
    // all 256 of them, so the flag follows the vocabulary.
    const bool byte_fallback = std::find(vocab.types.begin(), vocab.types.end(),
                                         sentence_piece::kTypeByte) != vocab.types.end();
    Writer w;
    w.int32(trainer_spec::kModelType, trainer_spec::kModelTypeBpe);
    w.int32(trainer_spec::kVocabSize, static_cast<int32_t>(vocab.pieces.size()));
    w.boolean(trainer_spec::kByteFallback, byte_fallback);
    w.int32(trainer_spec::kUnkId, vocab.unk);
    w.int32(trainer_spec::kBosId, vocab.bos);
    w.int32(trainer_spec::kEosId, vocab.eos);
    // The processor finds its special ids through these pieces, not through the ids.
    w.bytes(trainer_spec::kUnkPiece, vocab.pieces[vocab.unk]);
    w.bytes(trainer_spec::kBosPiece, vocab.pieces[vocab.bos]);
    w.bytes(trainer_spec::kEosPiece, vocab.pieces[vocab.eos]);
    return w.take();
}

std::string normalizer_spec_message() {
    // Llama's tokenizer.model: no normalisation rules, dummy prefix, whitespace kept.
    Writer w;
    w.bytes(normalizer_spec::kName, "identity");
    w.boolean(normalizer_spec::kAddDummyPrefix, true);
    w.boolean(normalizer_spec::kRemoveExtraWhitespaces, false);
    w.boolean(normalizer_spec::kEscapeWhitespaces, true);
    return w.take();
}

struct Field {
    uint32_t number = 0;
    uint32_t wire = 0;
    uint64_t value = 0;        // varint and fixed values
    std::string_view payload;  // length-delimited values
};

class Reader {
public:
    Reader(std::string_view bytes, const std::string& source, size_t base)
        : bytes_(bytes), source_(source), base_(base) {}

    bool done() const { return pos_ >= bytes_.size(); }

    Field next() {
        Field f;
        const uint64_t key = varint();
        f.number = static_cast<uint32_t>(key >> 3);
        f.wire = static_cast<uint32_t>(key & 7);
        if (f.number == 0 || key >> 32 != 0) fail("invalid field number");
        switch (f.wire) {
            case kVarint:
                f.value = varint();
                break;
            case kFixed64:
                f.value = fixed(8);
                break;
            case kFixed32:
                f.value = fixed(4);
                break;
            case kLengthDelimited:
                f.payload = take(varint());
                break;
            default:
                fail("unsupported wire type " + std::to_string(f.wire));
        }
        return f;
    }
    // Offset of the current position in the whole file, for nested readers and errors.
    size_t offset() const { return base_ + pos_; }

    [[noreturn]] void fail(const std::string& what) const {
        throw EngineError(source_, "not a sentencepiece model (" + what + " at byte " +
                                       std::to_string(offset()) + ")");
    }

private:
    uint64_t varint() {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (done()) fail("truncated varint");
            const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
            value |= uint64_t{byte & 0x7Fu} << shift;
            if (byte < 0x80) return value;
        }
        fail("varint longer than 10 bytes");
    }
    uint64_t fixed(size_t n) {
        const std::string_view raw = take(n);
        uint64_t value = 0;
        for (size_t i = 0; i < n; ++i) value |= uint64_t{static_cast<uint8_t>(raw[i])} << (8 * i);
        return value;
    }
    std::string_view take(uint64_t n) {
        if (n > bytes_.size() - pos_) fail("field runs past the end");
        const std::string_view out = bytes_.substr(pos_, n);
        pos_ += n;
        return out;
    }

    std::string_view bytes_;
    const std::string& source_;
    size_t base_ = 0;
    size_t pos_ = 0;
};

// Checks that a nested message is well-formed; returns its fields for the caller to read.
template <typename Visit>
void walk_message(const Field& outer, const Reader& parent, const std::string& source,
                  Visit&& visit) {
    if (outer.wire != kLengthDelimited)
        parent.fail("field " + std::to_string(outer.number) + " is not a message");
    const size_t base = parent.offset() - outer.payload.size();
    Reader r(outer.payload, source, base);
    while (!r.done()) visit(r.next());
}

}  // namespace

std::string build_model_proto(const Vocab& vocab) {
    Writer model;
    for (size_t i = 0; i < vocab.pieces.size(); ++i)
        model.bytes(model_proto::kPieces, piece_message(vocab, i));
    model.bytes(model_proto::kTrainerSpec, trainer_spec_message(vocab));
    model.bytes(model_proto::kNormalizerSpec, normalizer_spec_message());
    return model.take();
}

ModelProtoSummary summarize_model_proto(std::string_view bytes, const std::string& source) {
    ModelProtoSummary s;
    Reader r(bytes, source, 0);
    const auto ignore = [](const Field&) {};
    while (!r.done()) {
        const Field f = r.next();
        if (f.number == model_proto::kPieces) {
            walk_message(f, r, source, ignore);
            ++s.pieces;
        } else if (f.number == model_proto::kTrainerSpec) {
            walk_message(f, r, source, ignore);
            s.has_trainer_spec = true;
        } else if (f.number == model_proto::kNormalizerSpec) {
            s.has_normalizer_spec = true;
            walk_message(f, r, source, [&s](const Field& n) {
                if (n.wire != kVarint) return;
                if (n.number == normalizer_spec::kAddDummyPrefix) s.add_dummy_prefix = n.value;
                if (n.number == normalizer_spec::kRemoveExtraWhitespaces)
                    s.remove_extra_whitespaces = n.value;
            });
        }
    }
    return s;
}

}  // namespace ll::spm
