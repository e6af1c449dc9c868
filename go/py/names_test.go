package py

import "testing"

func TestSnakeCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ToUpper", "to_upper"},
		{"Sum256", "sum256"},
		{"OnesCount64", "ones_count64"},
		{"LeadingZeros64", "leading_zeros64"},
		{"RotateLeft64", "rotate_left64"},
		{"FindAllString", "find_all_string"},
		{"HTTPServer", "http_server"},
		{"MD5Sum", "md5_sum"},
		{"Sum256Hex", "sum256_hex"},
		{"New", "new"},
		{"A", "a"},
		{"already_snake", "already_snake"},
		{"EncodeToString", "encode_to_string"},
		{"ID", "id"},
		{"URLs", "urls"},
	}
	for _, tt := range tests {
		if got := SnakeCase(tt.in); got != tt.want {
			t.Errorf("SnakeCase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParamName(t *testing.T) {
	for in, want := range map[string]string{"s": "s", "from": "from_", "lambda": "lambda_", "type": "type"} {
		if got := ParamName(in); got != want {
			t.Errorf("ParamName(%q) = %q, want %q", in, got, want)
		}
	}
}
