// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c - what a domain must satisfy to start, and what it costs, as
 * the module checks and reserves them at start (module/dlb_domain.c:
 * dlb_domain_validate() and dlb_domain_reserve()). The schema describes
 * each attribute alone; these rules tie attributes together and to the
 * device's totals, so they live here, in one place, and name attributes
 * as the schema does. check reports them before anything is touched.
 */
#include <stdlib.h>
#include <string.h>

#include "dlbcfg.h"

enum {
	R_DOMAINS, R_LDB_QUEUES, R_LDB_PORTS, R_DIR_PORTS, R_LDB_CREDITS,
	R_DIR_CREDITS, R_HIST, R_ATOMIC, R_SN, R_NUM
};

const char *const res_names[R_NUM] = {
	"num_sched_domains", "num_ldb_queues", "num_ldb_ports",
	"num_dir_ports", "num_ldb_credits", "num_dir_credits",
	"num_hist_list_entries", "num_atomic_inflights",
	"num_sequence_numbers",
};

/* DLB 2.0's totals, for a device that is not there (check on any host). */
static const unsigned long long dlb2_totals[R_NUM] = {
	32, 32, 64, 64, 8192, 4096, 2048, 2048, 2048,
};

#define SN_GROUP_SIZE	1024
#define MAX_SN_GROUPS	8
#define NUM_COS		4

/* An attribute's value: the file's, else the schema's default. */
static const char *val(const struct obj *o, const char *name)
{
	const struct obj_attr *a = obj_attr(o, name);
	const struct sch_attr *sa;

	if (a)
		return a->val;
	sa = sch_find_attr(o->g, name);
	return sa ? sa->def : "";
}

static unsigned long long num(const struct obj *o, const char *name)
{
	return strtoull(val(o, name), NULL, 10);
}

static bool is(const struct obj *o, const char *name, const char *v)
{
	return !strcmp(val(o, name), v);
}

/* sched_type follows type until written (see the schema). */
static const char *sched_of(const struct obj *q)
{
	if (obj_attr(q, "sched_type"))
		return val(q, "sched_type");
	return is(q, "type", "dir") ? "directed" : "atomic";
}

static int coll_of(const struct obj *o, const char *name)
{
	int c = sch_find_subdir(o->g, name);

	return c >= 0 && o->g->child_kind[c] ? c : -1;
}

#define RULE_ERR(o, ...) do {						\
	char *p_ = obj_path(o);						\
	cfg_error((o)->file, (o)->line, p_, __VA_ARGS__);		\
	free(p_);							\
} while (0)

/* Ports linking queue @q, and whether each is of the queue's type. */
static unsigned int links_to(const struct obj *dom, int pc, const char *q)
{
	unsigned int i, n = 0;

	for (i = 0; pc >= 0 && i < dom->nr_children[pc]; i++)
		n += obj_link(dom->children[pc][i], q) != NULL;
	return n;
}

static void check_domain_rules(const struct obj *dom)
{
	int qc = coll_of(dom, "queues"), pc = coll_of(dom, "ports");
	bool ldb_q = false, dir_q = false;
	unsigned int i, j;

	for (i = 0; qc >= 0 && i < dom->nr_children[qc]; i++) {
		const struct obj *q = dom->children[qc][i];
		const char *sched = sched_of(q);
		unsigned int nl = links_to(dom, pc, q->name);

		if (is(q, "type", "ldb")) {
			ldb_q = true;
			if (!strcmp(sched, "directed"))
				RULE_ERR(q, "sched_type directed needs type dir");
			else if (!strcmp(sched, "ordered") &&
				 !num(q, "sequence_numbers"))
				RULE_ERR(q, "an ordered queue needs sequence_numbers");
			else if (strcmp(sched, "ordered") &&
				 num(q, "sequence_numbers"))
				RULE_ERR(q, "sequence_numbers needs sched_type ordered");
			else if (!strcmp(sched, "atomic") &&
				 !num(q, "atomic_inflights"))
				RULE_ERR(q, "an atomic queue needs atomic_inflights");
			else if (!nl)
				RULE_ERR(q, "a load-balanced queue needs a linked load-balanced port");
		} else {
			dir_q = true;
			if (strcmp(sched, "directed"))
				RULE_ERR(q, "a directed queue needs sched_type directed");
			else if (num(q, "sequence_numbers"))
				RULE_ERR(q, "sequence_numbers needs sched_type ordered");
			else if (nl != 1)
				RULE_ERR(q, "a directed queue needs exactly one linked directed port (has %u)",
					 nl);
		}
	}
	for (i = 0; pc >= 0 && i < dom->nr_children[pc]; i++) {
		const struct obj *p = dom->children[pc][i];
		const char *type = val(p, "type");

		if (!strcmp(type, "ldb") &&
		    num(p, "hist_list_size") < num(p, "cq_depth"))
			RULE_ERR(p, "hist_list_size %llu is below cq_depth %llu",
				 num(p, "hist_list_size"), num(p, "cq_depth"));
		if (num(p, "cq_depth_threshold") > num(p, "cq_depth"))
			RULE_ERR(p, "cq_depth_threshold %llu is above cq_depth %llu",
				 num(p, "cq_depth_threshold"), num(p, "cq_depth"));
		if (!strcmp(type, "dir") && p->nr_links != 1)
			RULE_ERR(p, "a directed port needs exactly one linked directed queue (has %u)",
				 p->nr_links);
		for (j = 0; qc >= 0 && j < p->nr_links; j++) {
			const struct obj *q = obj_child(dom, qc,
							p->links[j].target);

			if (q && strcmp(val(q, "type"), type)) {
				char *path = obj_path(p);

				cfg_error(p->links[j].file, p->links[j].line,
					  path, "a %s port cannot link %s queue %s",
					  type, val(q, "type"), q->name);
				free(path);
			}
		}
	}
	if (ldb_q && !num(dom, "ldb_credits"))
		RULE_ERR(dom, "ldb_credits: load-balanced queues need credits");
	if (dir_q && !num(dom, "dir_credits"))
		RULE_ERR(dom, "dir_credits: directed queues need credits");
}

/* What is left of a device while walking the file's domains. */
struct budget {
	unsigned long long left[R_NUM], total[R_NUM];
	unsigned int sn_slot[MAX_SN_GROUPS], sn_used[MAX_SN_GROUPS];
	unsigned int nr_sn_groups;
	unsigned long long cos_left[NUM_COS];
};

static bool take(struct budget *b, const struct obj *o, int r,
		 unsigned long long n)
{
	if (b->left[r] >= n) {
		b->left[r] -= n;
		return true;
	}
	RULE_ERR(o, "needs %llu of %s, %llu of %llu left after what comes before it in the file",
		 n, res_names[r], b->left[r], b->total[r]);
	return false;
}

static bool take_sn(struct budget *b, const struct obj *q)
{
	unsigned int size = num(q, "sequence_numbers"), g;

	for (g = 0; g < b->nr_sn_groups; g++) {
		if (b->sn_slot[g] == size &&
		    b->sn_used[g] < SN_GROUP_SIZE / size)
			goto found;
	}
	for (g = 0; g < b->nr_sn_groups; g++) {
		if (!b->sn_used[g]) {
			b->sn_slot[g] = size;
			goto found;
		}
	}
	RULE_ERR(q, "no sequence-number group has a free slot of %u (groups are cut into one slot size each)",
		 size);
	return false;
found:
	b->sn_used[g]++;
	return true;
}

static bool take_cos(struct budget *b, const struct obj *p)
{
	const char *cos = val(p, "cos");
	int c = -1, i;

	if (!strcmp(cos, "any")) {
		for (i = 0; i < NUM_COS; i++) {
			if (b->cos_left[i] && (c < 0 ||
					       b->cos_left[i] > b->cos_left[c]))
				c = i;
		}
	} else {
		c = atoi(cos);
	}
	if (c < 0 || c >= NUM_COS || !b->cos_left[c]) {
		RULE_ERR(p, "no load-balanced port of class of service %s left",
			 cos);
		return false;
	}
	b->cos_left[c]--;
	return true;
}

static void reserve_domain(struct budget *b, const struct obj *dom)
{
	int qc = coll_of(dom, "queues"), pc = coll_of(dom, "ports");
	unsigned long long hist = 0;
	unsigned int i;

	if (!take(b, dom, R_LDB_CREDITS, num(dom, "ldb_credits")) ||
	    !take(b, dom, R_DIR_CREDITS, num(dom, "dir_credits")))
		return;
	for (i = 0; qc >= 0 && i < dom->nr_children[qc]; i++) {
		const struct obj *q = dom->children[qc][i];
		const char *sched = sched_of(q);

		if (!is(q, "type", "ldb"))
			continue;
		if (!take(b, q, R_LDB_QUEUES, 1))
			return;
		if (!strcmp(sched, "atomic") &&
		    !take(b, q, R_ATOMIC, num(q, "atomic_inflights")))
			return;
		if (!strcmp(sched, "ordered") && num(q, "sequence_numbers") &&
		    !take_sn(b, q))
			return;
	}
	for (i = 0; pc >= 0 && i < dom->nr_children[pc]; i++) {
		const struct obj *p = dom->children[pc][i];

		if (is(p, "type", "dir")) {
			if (!take(b, p, R_DIR_PORTS, 1))
				return;
			continue;
		}
		if (!take(b, p, R_LDB_PORTS, 1) || !take_cos(b, p))
			return;
		hist += num(p, "hist_list_size");
	}
	take(b, dom, R_HIST, hist);
}

static void budget_init(struct budget *b, const char *dev)
{
	struct resources r;
	unsigned int i;

	memset(b, 0, sizeof(*b));
	if (!sysfs_resources(dev, "total_resources", &r))
		memcpy(r.num, dlb2_totals, sizeof(r.num));
	for (i = 0; i < R_NUM; i++)
		b->left[i] = b->total[i] = r.num[i];
	b->nr_sn_groups = r.num[R_SN] / SN_GROUP_SIZE;
	if (b->nr_sn_groups > MAX_SN_GROUPS)
		b->nr_sn_groups = MAX_SN_GROUPS;
	for (i = 0; i < NUM_COS; i++)
		b->cos_left[i] = r.num[R_LDB_PORTS] / NUM_COS;
}

void rules_check(const struct tree *t)
{
	struct budget b;
	unsigned int d, i;

	for (d = 0; d < t->nr_devs; d++) {
		const struct obj *dev = t->devs[d];
		int dc = coll_of(dev, "domains");

		if (dc < 0)
			continue;
		budget_init(&b, dev->name);
		for (i = 0; i < dev->nr_children[dc]; i++) {
			const struct obj *dom = dev->children[dc][i];

			/* every domain is a directory the device counts */
			if (!take(&b, dom, R_DOMAINS, 1))
				break;
			if (!is(dom, "start", "1"))
				continue;
			check_domain_rules(dom);
			reserve_domain(&b, dom);
		}
	}
}

/* What a started domain holds of each resource, as dlb_domain_reserve() counts. */
void rules_domain_cost(const struct obj *dom, struct resources *r)
{
	int qc = coll_of(dom, "queues"), pc = coll_of(dom, "ports");
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->num[R_DOMAINS] = 1;
	r->num[R_LDB_CREDITS] = num(dom, "ldb_credits");
	r->num[R_DIR_CREDITS] = num(dom, "dir_credits");
	for (i = 0; qc >= 0 && i < dom->nr_children[qc]; i++) {
		const struct obj *q = dom->children[qc][i];
		const char *sched = sched_of(q);

		if (!is(q, "type", "ldb"))
			continue;
		r->num[R_LDB_QUEUES]++;
		if (!strcmp(sched, "atomic"))
			r->num[R_ATOMIC] += num(q, "atomic_inflights");
		if (!strcmp(sched, "ordered"))
			r->num[R_SN] += num(q, "sequence_numbers");
	}
	for (i = 0; pc >= 0 && i < dom->nr_children[pc]; i++) {
		const struct obj *p = dom->children[pc][i];

		if (is(p, "type", "dir")) {
			r->num[R_DIR_PORTS]++;
		} else {
			r->num[R_LDB_PORTS]++;
			r->num[R_HIST] += num(p, "hist_list_size");
		}
	}
}
