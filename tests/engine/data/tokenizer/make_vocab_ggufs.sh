#!/bin/bash
# Run on a machine with transformers, from the repository root, with llama.cpp c392e50's
# convert_hf_to_gguf.py and gguf-py (from ../shared/peers's source archive) and the
# tokenizer archives of ../shared/models/tokenizers copied under .devdata/ (not in git):
#   bash tests/engine/data/tokenizer/make_vocab_ggufs.sh tests/engine/data/tokenizer
# The config.json written beside each tokenizer only gives the converter an architecture
# to name; a vocab-only file holds no tensors.
# vocab-only GGUFs written by llama.cpp's own converter (c392e50) from the real tokenizers
set -e
out=$1
for name in llama-3.1 qwen3; do
  d=/tmp/vocab-$name; mkdir -p $d; tar -xJf .devdata/tokenizers/$name.tar.xz -C $d
  src=$(dirname $(find $d -name tokenizer.json))
  if [ $name = llama-3.1 ]; then
    cat > $src/config.json <<'J'
{"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":64,"intermediate_size":128,"num_attention_heads":4,"num_key_value_heads":2,"num_hidden_layers":1,"max_position_embeddings":131072,"rms_norm_eps":1e-5,"rope_theta":500000.0,"rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"},"vocab_size":128256,"bos_token_id":128000,"eos_token_id":[128001,128008,128009],"tie_word_embeddings":false}
J
  else
    cat > $src/config.json <<'J'
{"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2","hidden_size":64,"intermediate_size":128,"num_attention_heads":4,"num_key_value_heads":2,"num_hidden_layers":1,"max_position_embeddings":40960,"rms_norm_eps":1e-6,"rope_theta":1000000.0,"vocab_size":151936,"bos_token_id":151643,"eos_token_id":151645,"tie_word_embeddings":true}
J
  fi
  python3 .devdata/convert_hf_to_gguf.py $src --vocab-only --outfile $out/$name-vocab.gguf 2>&1 | tail -5
  (cd $out && tar -cJf $name-vocab.gguf.tar.xz $name-vocab.gguf && rm $name-vocab.gguf)
done
