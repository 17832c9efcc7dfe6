#include "core/error.hpp"

namespace broadsheet {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadArguments:
      return "bad_arguments";
    case ErrorCode::InputMissing:
      return "input_missing";
    case ErrorCode::InputUnreadable:
      return "input_unreadable";
    case ErrorCode::InputRejected:
      return "input_rejected";
    case ErrorCode::ModelMissing:
      return "model_missing";
    case ErrorCode::OutputNotWritable:
      return "output_not_writable";
    case ErrorCode::Internal:
      return "internal";
  }
  return "internal";
}

std::string Error::describe() const {
  std::string out;
  if (!input.empty()) out += input.string() + ": ";
  out += message;
  if (!hint.empty()) out += "; " + hint;
  return out;
}

}  // namespace broadsheet
