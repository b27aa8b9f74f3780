# SPDX-License-Identifier: GPL-2.0
#
# tools/tools.mk - what every Makefile under tools/ shares: the install
# directories, the compiler flags and warnings, and the common module
# (common/tool.c) each program is built with. Set TOOLS, the path of
# tools/ from the including Makefile, before including it.

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
# dlbcfg's schema: the installed program's path is compiled in.
DATADIR ?= $(PREFIX)/share/dlb

CC ?= cc
CFLAGS ?= -O2 -g
STD = -std=gnu11
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# The engine (module/engine/) built into a tool: kernel code, whose
# nested min_t() trips -Wshadow, so it and its callers get these.
ENGINE_WARN = -Wall -Wextra

COMMON_DIR = $(TOOLS)/common
COMMON_SRCS = $(COMMON_DIR)/tool.c
COMMON_HDRS = $(COMMON_DIR)/tool.h
CPPFLAGS += -I$(COMMON_DIR)
