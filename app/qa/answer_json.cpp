#include "answer_json.h"

namespace ll {

QJsonObject to_json(const Citation& c) {
    QJsonObject o{{"start", c.start},         {"end", c.end},
                  {"text", c.text},           {"score", c.score},
                  {"attention", c.attention}, {"lexical", c.lexical},
                  {"verbatim", c.verbatim}};
    o["page"] = c.page >= 0 ? QJsonValue(c.page + 1) : QJsonValue();
    if (!c.rects.isEmpty()) {
        QJsonArray rects;
        for (const PageRect& r : c.rects)
            rects.append(QJsonObject{{"page", r.page + 1},
                                     {"x", r.rect.x()},
                                     {"y", r.rect.y()},
                                     {"width", r.rect.width()},
                                     {"height", r.rect.height()}});
        o["rects"] = rects;
    }
    return o;
}

Citation citation_from_json(const QJsonObject& o) {
    Citation c;
    c.start = o.value("start").toInteger();
    c.end = o.value("end").toInteger();
    c.page = o.value("page").isNull() ? -1 : o.value("page").toInt() - 1;
    c.text = o.value("text").toString();
    c.score = o.value("score").toDouble();
    c.attention = o.value("attention").toDouble();
    c.lexical = o.value("lexical").toDouble();
    c.verbatim = o.value("verbatim").toDouble();
    for (const QJsonValue& v : o.value("rects").toArray()) {
        const QJsonObject r = v.toObject();
        c.rects.append({r.value("page").toInt() - 1,
                        QRectF(r.value("x").toDouble(), r.value("y").toDouble(),
                               r.value("width").toDouble(), r.value("height").toDouble())});
    }
    return c;
}

QJsonArray to_json(const std::vector<Citation>& citations) {
    QJsonArray a;
    for (const Citation& c : citations) a.append(to_json(c));
    return a;
}

std::vector<Citation> citations_from_json(const QJsonArray& a) {
    std::vector<Citation> out;
    for (const QJsonValue& v : a) out.push_back(citation_from_json(v.toObject()));
    return out;
}

QJsonObject to_json(const ContextPlan& plan) {
    QJsonArray passages;
    for (const Passage& p : plan.passages)
        passages.append(QJsonObject{
            {"start", p.start}, {"end", p.end}, {"tokens", p.tokens}, {"heading", p.heading}});
    QJsonArray named;
    for (const NamedUnit& u : plan.named)
        named.append(QJsonObject{{"reference", u.reference},
                                 {"title", u.title},
                                 {"start", u.start},
                                 {"end", u.end},
                                 {"tokens", u.tokens},
                                 {"planned", u.planned}});
    QJsonObject o{
        {"mode", mode_name(plan.mode)},
        {"tokens", plan.tokens},
        {"budget", plan.budget},
        {"passages", passages},
        {"named", named},
        {"not_found", QJsonArray::fromStringList(plan.not_found)},
        {"left_out", QJsonObject{{"passages", plan.left_out}, {"tokens", plan.left_out_tokens}}},
        {"match", plan.match},
        {"description", describe_plan(plan)}};
    o["thin"] = plan.thin.isEmpty() ? QJsonValue() : QJsonValue(plan.thin);
    return o;
}

ContextPlan plan_from_json(const QJsonObject& o) {
    ContextPlan plan;
    plan.mode = parse_mode(o.value("mode").toString());
    plan.tokens = o.value("tokens").toInt();
    plan.budget = o.value("budget").toInt();
    for (const QJsonValue& v : o.value("passages").toArray()) {
        const QJsonObject p = v.toObject();
        plan.passages.push_back({p.value("start").toInteger(), p.value("end").toInteger(),
                                 p.value("tokens").toInt(), p.value("heading").toString()});
    }
    for (const QJsonValue& v : o.value("named").toArray()) {
        const QJsonObject u = v.toObject();
        plan.named.push_back({u.value("reference").toString(), u.value("title").toString(),
                              u.value("start").toInteger(), u.value("end").toInteger(),
                              u.value("tokens").toInt(), u.value("planned").toInt()});
    }
    for (const QJsonValue& v : o.value("not_found").toArray()) plan.not_found << v.toString();
    plan.left_out = o.value("left_out").toObject().value("passages").toInt();
    plan.left_out_tokens = o.value("left_out").toObject().value("tokens").toInt();
    plan.match = o.value("match").toDouble();
    plan.thin = o.value("thin").toString();
    return plan;
}

QJsonObject to_json(const AnswerTiming& t) {
    QJsonObject o{{"prefill_tokens", qint64(t.prefill_tokens)},
                  {"reused_tokens", qint64(t.reused_tokens)},
                  {"prefill_s", t.prefill_s},
                  {"decode_tokens", qint64(t.decode_tokens)},
                  {"decode_s", t.decode_s},
                  {"cache", cache_use_name(t.cache)}};
    if (!t.cache_note.isEmpty()) o.insert("cache_note", t.cache_note);
    return o;
}

AnswerTiming timing_from_json(const QJsonObject& o) {
    AnswerTiming t;
    t.prefill_tokens = o.value("prefill_tokens").toInteger();
    t.reused_tokens = o.value("reused_tokens").toInteger();
    t.prefill_s = o.value("prefill_s").toDouble();
    t.decode_tokens = o.value("decode_tokens").toInteger();
    t.decode_s = o.value("decode_s").toDouble();
    const QString cache = o.value("cache").toString();
    for (CacheUse use : {CacheUse::InMemory, CacheUse::Loaded, CacheUse::Saved, CacheUse::Rebuilt})
        if (cache == cache_use_name(use)) t.cache = use;
    t.cache_note = o.value("cache_note").toString();
    return t;
}

}  // namespace ll
